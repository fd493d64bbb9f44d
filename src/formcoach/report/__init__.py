"""Reports of an analysis: terminal summary, self-contained HTML with plots, annotated video.

Drawing (OpenCV), plotting (Matplotlib) and templating (Jinja2) live here, never in the analysis.
"""
