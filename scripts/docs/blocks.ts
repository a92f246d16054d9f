/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The file the block must equal, from an `<!-- example: PATH -->` line right before the fence. */
  file?: string;
}

/** The fenced (```) blocks of a Markdown document, in order. Indented fences (in list items) count too. */
export function extractBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const indent = open[1] as string;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && (lines[i] as string).trim() !== '```'; i += 1) body.push((lines[i] as string).slice(indent.length));
    if (i >= lines.length) throw new Error(`README line ${start + 1}: unclosed code fence`);
    const marker = /^<!-- example: (\S+) -->$/.exec((lines[start - 1] ?? '').trim());
    blocks.push({
      lang: open[2] as string,
      code: `${body.join('\n')}\n`,
      line: start + 1,
      ...(marker ? { file: marker[1] as string } : {}),
    });
  }
  return blocks;
}
