"""Report drafts: figure sentences, the section structure of the seed reports, the chart and the DOCX renderer."""
