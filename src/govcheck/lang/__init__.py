"""What rules are written in: JMESPath expressions and field paths, parsed once."""
