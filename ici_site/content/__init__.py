"""The editors' content: the model, the files it is read from and every check of a value."""
