"""features/packs"""
