"""The Gantt chart as SVG, built from plain rows: the WBS tree, bars, milestones, progress, baselines,
dependency arrows, the two-tier time scale, shaded non-working days and the today/status-date lines.

Pure: no Django, no database; dates in, markup out. Every text and attribute value is escaped here,
so the result goes into a page as it is. Colours come from CSS classes (the CSP allows no style
attributes). The chart is four SVGs that the page lays out in a grid, so the tree stays in place
while the time line scrolls sideways and both headers stay in place while the rows scroll;
`GanttSvg.standalone()` joins them into one picture for documents.

model holds the rows and links; chart.build() draws them through tree, timeline, bars and links,
on the geometry and primitives of svg. Import from the module itself.
"""
