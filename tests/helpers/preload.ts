// Test preload: shared set-up for every test file.
