/**
 * Telegram MarkdownV2 (https://core.telegram.org/bots/api#markdownv2-style): outside entities every
 * one of _ * [ ] ( ) ~ ` > # + - = | { } . ! and \ must be escaped with a backslash; inside pre and
 * code entities only ` and \ are.
 */
export function escapeMarkdownV2(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, (c) => `\\${c}`);
}

export function codeBlock(text: string): string {
  return `\`\`\`\n${text.replace(/[`\\]/g, (c) => `\\${c}`)}\n\`\`\``;
}

export function bold(text: string): string {
  return `*${escapeMarkdownV2(text)}*`;
}

/** Copilot text (bold as **…**, code as ``` fences) as MarkdownV2: both kept, everything else escaped. */
export function richText(text: string): string {
  return text
    .split(/```[^\n`]*\n?([\s\S]*?)```/g)
    .map((chunk, i) =>
      i % 2 === 1
        ? codeBlock(chunk.replace(/\n$/, ''))
        : chunk
            .split(/\*\*(.+?)\*\*/g)
            .map((part, j) => (j % 2 === 1 ? bold(part) : escapeMarkdownV2(part)))
            .join(''),
    )
    .join('');
}
