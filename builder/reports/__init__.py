"""Reports for operators: library coverage (gaps per segment), and content performance from analytics exports."""
