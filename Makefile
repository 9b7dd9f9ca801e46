# Convenience targets; the real work is in scripts/ and CMake.
BUILD_DIR ?= build
.PHONY: setup sample test bench asan tsan format format-check tidy readme-settings
# setup / sample build only what the sample runs (cinesub, make-synthetic-model); test builds everything else.
setup:
	scripts/setup.sh
sample: setup
	scripts/sample.sh
test: setup
	cmake --build $(BUILD_DIR) -j $$(nproc)
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2
bench: setup
	bench/asr_vs_whispercli.sh
# Sanitizer test runs in their own build trees (build-asan, build-tsan): see scripts/sanitize-tests.sh.
asan:
	scripts/sanitize-tests.sh asan
tsan:
	scripts/sanitize-tests.sh tsan
# Style: .clang-format for every C++ file, .clang-tidy for the library and the programs (src/, tools/).
format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.cpp' '*.hpp')
tidy: setup
	scripts/tidy.sh $(BUILD_DIR)
# README's settings table is generated; tests/cli/settings_cli_test.cpp fails when the two disagree.
readme-settings: setup
	scripts/readme-settings.sh $(BUILD_DIR)/tools/cinesub
