"""What a city's site is made of: the files of each language and of the city, and how each is rendered."""
