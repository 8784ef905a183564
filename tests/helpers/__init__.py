"""What the tests share, one concept per module: real servers and stores on 127.0.0.1, Chromium over the DevTools
protocol, a canary listener, golden cases, the checks of an answer that several suites make.

Test modules and conftests import from here and never from each other; a conftest holds fixtures and hooks only.
"""
