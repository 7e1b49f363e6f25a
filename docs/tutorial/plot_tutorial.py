"""
Tutorial
========
x
"""
print(1)
