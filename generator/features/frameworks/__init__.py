"""features/frameworks"""
