"""features/checklists"""
