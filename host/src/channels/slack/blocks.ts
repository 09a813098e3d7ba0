import type { types } from '@slack/bolt';
import type { ApprovalView } from '../../approval-service.js';
import { outcomeLine } from '../pipeline.js';
import { approvalFacts, argsJson, truncate } from '../render.js';

type KnownBlock = types.KnownBlock;

/** Slack needs &, < and > escaped in text; everything else is shown as typed. */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Copilot text (bold as **…**) as Slack mrkdwn (bold as *…*), escaped. */
export function slackText(s: string): string {
  return slackEscape(s).replace(/\*\*(.+?)\*\*/g, '*$1*');
}

export const APPROVE_ACTION = 'approval_approve';
export const REJECT_ACTION = 'approval_reject';

/** An approval as Block Kit: what will run, risk, requester, expiry, digest; buttons while pending. */
export function approvalBlocks(a: ApprovalView): KnownBlock[] {
  const pending = a.status === 'pending';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(`${pending ? 'Approval needed' : 'Approval'}: ${a.tool}`, 150),
      },
    },
    {
      type: 'section',
      fields: approvalFacts(a).map(([k, v]) => ({
        type: 'mrkdwn' as const,
        text: `*${k}*\n${slackEscape(v)}`,
      })),
    },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Arguments*\n\`\`\`${slackEscape(argsJson(a, 2500))}\`\`\`` },
    },
  ];
  if (pending) {
    blocks.push({
      type: 'actions',
      block_id: `approval:${a.id}`,
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION,
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve' },
          value: a.id,
        },
        {
          type: 'button',
          action_id: REJECT_ACTION,
          style: 'danger',
          text: { type: 'plain_text', text: 'Reject' },
          value: a.id,
        },
      ],
    });
  } else {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${slackEscape(outcomeLine(a))}*${a.decidedAt ? `\n${a.decidedAt.slice(0, 19).replace('T', ' ')} UTC` : ''}`,
      },
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `approval \`${a.id}\` · status *${a.status}*` }],
  });
  return blocks;
}

export function approvalFallbackText(a: ApprovalView): string {
  return a.status === 'pending'
    ? `Approval needed: ${a.server}/${a.tool} ${JSON.stringify(a.args)} (${a.id})`
    : outcomeLine(a);
}
