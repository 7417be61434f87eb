"""features/assessment"""
