"""Analyst views, one `NAME.sql` file each (a package so that installs ship the files)."""
