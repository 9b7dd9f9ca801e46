# Convenience targets; the real work is in scripts/ and CMake.
BUILD_DIR ?= build
.PHONY: setup sample test bench format
setup:
	scripts/setup.sh
sample: setup
	scripts/sample.sh
test: setup
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 2
bench: setup
	bench/asr_vs_whispercli.sh
format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
