/**
 * Greedy word wrap to `width` print columns. Paragraphs split on '\n'; runs of spaces collapse; a word longer
 * than the line is broken hard. An empty paragraph is one blank line. The layouts wrap names with it, and the
 * printers' encoders wrap text blocks with it, so a line breaks the same way wherever it is wrapped.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line: string[] = [];
    for (const word of paragraph.replace(/\t/g, ' ').split(' ')) {
      let chars = Array.from(word.normalize('NFC'));
      if (chars.length === 0) continue;
      if (line.length > 0 && line.length + 1 + chars.length <= width) {
        line.push(' ', ...chars);
        continue;
      }
      if (line.length > 0) lines.push(line.join(''));
      while (chars.length > width) {
        lines.push(chars.slice(0, width).join(''));
        chars = chars.slice(width);
      }
      line = chars;
    }
    lines.push(line.join(''));
  }
  return lines;
}
