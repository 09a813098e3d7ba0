// devops-ai web console: a thin client of the host's HTTP API. Everything rendered with textContent.
const $ = (sel) => document.querySelector(sel);
const state = { token: sessionStorage.getItem('devops-ai-token') || '', conversation: null, me: null };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else if (k === 'onclick') e.addEventListener('click', v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${state.token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  return { status: res.status, data };
}

function say(kind, text) {
  const box = $('#messages');
  box.append(el('div', { class: `msg ${kind}`, 'data-testid': `msg-${kind}` }, text));
  box.scrollTop = box.scrollHeight;
}

/** A chart from /graph, inline (a data: URL; the page's CSP allows data: images only). */
function showImage(image) {
  if (!/^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(image.dataUrl)) return;
  const box = $('#messages');
  box.append(
    el(
      'figure',
      { class: 'msg chart', 'data-testid': 'msg-chart' },
      el('img', { src: image.dataUrl, alt: image.caption }),
      el('figcaption', {}, image.caption),
    ),
  );
  box.scrollTop = box.scrollHeight;
}

async function signIn(token) {
  state.token = token;
  const r = await api('GET', '/api/me');
  if (r.status !== 200) {
    $('#whoami').textContent = 'invalid token';
    state.me = null;
    return;
  }
  sessionStorage.setItem('devops-ai-token', token);
  state.me = r.data;
  $('#whoami').textContent = `${r.data.name} (${r.data.roles.join(', ')}) · model ${r.data.model}`;
  refresh();
}

function renderApproval(a, pending) {
  const args = JSON.stringify(a.args, null, 1);
  const box = el(
    'div',
    {
      class: `approval${pending ? '' : ' done'}`,
      'data-testid': `approval-${a.id}`,
      'data-status': a.status,
    },
    el(
      'div',
      {},
      el('strong', {}, `${a.server}/${a.tool}`),
      ' · risk ',
      el('span', { class: `risk-${a.risk}` }, a.risk),
    ),
    el('code', {}, args),
    el(
      'div',
      {},
      `requested by ${a.requestedBy} · digest ${a.digest.slice(0, 12)} · ${pending ? `expires ${a.expiresAt}` : `${a.status}${a.decidedBy ? ` by ${a.decidedBy}` : ''}`}`,
    ),
  );
  if (pending) {
    const reason = el('input', { placeholder: 'reason (optional)', size: 14 });
    box.append(
      el(
        'div',
        {},
        el(
          'button',
          { 'data-action': 'approve', onclick: () => decide(a.id, 'approve', reason.value) },
          'Approve',
        ),
        ' ',
        el(
          'button',
          { 'data-action': 'reject', onclick: () => decide(a.id, 'reject', reason.value) },
          'Reject',
        ),
        ' ',
        reason,
      ),
    );
  }
  return box;
}

async function decide(id, action, reason) {
  const r = await api('POST', `/api/approvals/${encodeURIComponent(id)}/${action}`, reason ? { reason } : {});
  if (r.status === 200) {
    say('bot', `[${action}d ${id}] ${r.data.reply || r.data.approval.status}`);
  } else {
    say('err', `[${r.status}] ${r.data.error?.message || 'failed'}`);
  }
  refresh();
}

function describeEvent(e) {
  if (e.type.startsWith('approval.')) {
    const a = e.approval;
    return `${e.type}: ${a.tool} ${JSON.stringify(a.args)} (${a.id})${a.decidedBy ? ` by ${a.decidedBy}` : ''}`;
  }
  if (e.type.startsWith('alert.')) {
    const a = e.alert;
    return `${e.type}: ${a.name} ${a.labels.namespace ?? ''}/${a.labels.service ?? ''}${a.annotations.summary ? ` — ${a.annotations.summary}` : ''}`;
  }
  if (e.type === 'cluster.scaled')
    return `${e.type}: ${e.namespace}/${e.name} ${e.from} → ${e.to} replicas (${e.reason})`;
  if (e.type === 'cluster.node_added') return `${e.type}: ${e.node}${e.nodeGroup ? ` (${e.nodeGroup})` : ''}`;
  return `${e.type}`;
}

state.lastSeq = 0;
async function pollNotifications() {
  const r = await api('GET', `/api/notifications?after=${state.lastSeq}`);
  if (r.status !== 200) return;
  const list = $('#notifications');
  for (const n of r.data.notifications) {
    list.prepend(el('li', { 'data-type': n.event.type }, `${n.at.slice(11, 19)} ${describeEvent(n.event)}`));
    state.lastSeq = n.seq;
  }
  while (list.children.length > 30) list.lastChild.remove();
}

async function refresh() {
  if (!state.me) return;
  pollNotifications();
  const [pending, all, world] = await Promise.all([
    api('GET', '/api/approvals?status=pending'),
    api('GET', '/api/approvals'),
    api('GET', '/api/sandbox'),
  ]);
  const list = $('#approvals');
  list.replaceChildren(...(pending.data.approvals || []).map((a) => renderApproval(a, true)));
  if (!list.children.length) list.append(el('div', {}, 'No pending approvals.'));
  const decided = (all.data.approvals || [])
    .filter((a) => a.status !== 'pending')
    .slice(-6)
    .reverse();
  $('#decided').replaceChildren(...decided.map((a) => renderApproval(a, false)));
  if (world.status === 200) {
    const w = world.data;
    $('#clock').textContent = `· ${w.clock}`;
    const hpaOf = (ns, name) => (w.hpas || []).find((h) => h.namespace === ns && h.name === name);
    $('#deployments tbody').replaceChildren(
      ...(w.deployments || []).map((d) => {
        const h = hpaOf(d.namespace, d.name);
        return el(
          'tr',
          { 'data-testid': `deploy-${d.namespace}-${d.name}` },
          el('td', {}, d.namespace),
          el('td', {}, d.name),
          el('td', { class: 'replicas' }, d.replicas),
          el('td', {}, d.readyReplicas),
          el('td', {}, h ? `${h.minReplicas}–${h.maxReplicas} @${h.targetCpuUtilization}%` : '-'),
        );
      }),
    );
    const nodes = w.nodes || [];
    $('#nodes').textContent =
      `${nodes.length} nodes: ${[...new Set(nodes.map((n) => `${n.nodeGroup} (${n.instanceType}, ${n.capacityType})`))].join(', ')}`;
  }
}

$('#login').addEventListener('submit', (e) => {
  e.preventDefault();
  signIn($('#token').value.trim());
});
$('#chat-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('#chat-input').value.trim();
  if (!text || !state.me) return;
  $('#chat-input').value = '';
  say('user', `${state.me.id}: ${text}`);
  // The console is a channel like Slack and Telegram: same pipeline, same commands (/help, /graph …).
  const r = await api('POST', '/api/console/message', {
    text,
    ...(state.conversation ? { conversation: state.conversation } : {}),
  });
  if (r.status === 200) {
    state.conversation = r.data.conversation;
    say(r.data.refused ? 'err' : 'bot', r.data.reply);
    if (r.data.image) showImage(r.data.image);
  } else say('err', `[${r.status}] ${r.data.error?.message || 'failed'}`);
  refresh();
});
$('#new-conversation').addEventListener('click', () => {
  state.conversation = null;
  say('bot', '— new conversation —');
});
for (const b of document.querySelectorAll('[data-advance]')) {
  b.addEventListener('click', async () => {
    await api('POST', '/api/sandbox/advance', { minutes: Number(b.dataset.advance) });
    refresh();
  });
}
$('#inject').addEventListener('click', async () => {
  const r = await api('POST', '/api/sandbox/incidents', {
    kind: $('#incident-kind').value,
    namespace: 'prod',
    service: $('#incident-service').value.trim(),
  });
  say(
    r.status === 201 ? 'bot' : 'err',
    r.status === 201
      ? `incident injected: ${r.data.incident.kind} on ${r.data.incident.service}`
      : `[${r.status}] ${r.data.error?.message}`,
  );
  refresh();
});
// Demo users (the embedded default only): quick sign-in buttons.
for (const [id, token] of [
  ['alice', 'demo-alice'],
  ['bob', 'demo-bob'],
  ['carol', 'demo-carol'],
]) {
  $('#demo-users').append(
    el(
      'button',
      {
        type: 'button',
        'data-user': id,
        onclick: () => {
          $('#token').value = token;
          signIn(token);
        },
      },
      id,
    ),
  );
}
setInterval(refresh, 3000);
if (state.token) signIn(state.token);
