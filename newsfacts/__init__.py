"""newsfacts: scraped news pages in, validated money and figure fact tables out."""

__version__ = "0.1.0"
