"""features/authoring"""
