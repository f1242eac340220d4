"""Streamlit application over the warehouse."""
