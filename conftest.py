pytest_plugins = ["multitrack_shared.testing.fixtures"]
