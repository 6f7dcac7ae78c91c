"""The Settings dialog's parts: one module per tab, the sign-in dialogs.

The dialog itself (views/settings_dialog.py) only assembles them.
"""
