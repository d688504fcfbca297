"""Test support shared by tests/ and bench/: gold scoring, synthetic pages and tables, inputs.

Not used by the product at run time. `gold` reads and scores the sample corpus's gold
readings, `corpus` generates large page corpora from the sample for throughput runs,
`synthetic` builds warehouse tables of any size without running the transforms,
`warcgen` and `samplewarc` write WARC archives, and `hostile` writes landing folders of
hostile files.
"""
