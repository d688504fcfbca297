"""One Streamlit script per page (run by app.py through st.navigation, never imported)."""
