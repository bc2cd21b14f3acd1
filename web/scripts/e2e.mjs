// End-to-end tests in Debian's chromium (playwright-core; never downloads a browser) against
// a real `haetae serve` that this script starts, stops and restarts itself.
//
//   node scripts/e2e.mjs        (or: npm run e2e)
//   env: HAETAE_BIN (default ../build/release/src/haetae, else ../build/test/src/haetae),
//        CHROMIUM (default /usr/bin/chromium), OUT (screenshots; default ./e2e-shots),
//        BASE (skip starting anything: test a client already served at BASE; the offline
//        test is then skipped).
//
// The node serves the built client itself (WEB_DIST, default ./dist: run `npm run build` first),
// so the page, /api and /ws share one origin, as in production.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(process.env.OUT ?? join(WEB, 'e2e-shots'));
mkdirSync(OUT, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'haetae-e2e-'));
const uniq = Date.now().toString(36).slice(-4);
const results = [];

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Node {
  constructor(bin, port, dist) {
    this.bin = bin;
    this.dist = dist;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.data = join(tmp, 'data');
    this.proc = null;
  }
  async start() {
    this.proc = spawn(this.bin, ['serve', '--data', this.data, '--listen', `127.0.0.1:${this.port}`, '--web', this.dist, '--fast-password-hashing'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        /* not yet */
      }
      await sleep(100);
    }
    throw new Error('haetae serve did not start');
  }
  async stop() {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = null;
    const done = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await Promise.race([done, sleep(5000)]);
    if (p.exitCode === null) p.kill('SIGKILL');
  }
}

async function test(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n${e?.stack ?? e}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

let node = null;
let BASE = process.env.BASE;
if (!BASE) {
  const bin =
    process.env.HAETAE_BIN ??
    [join(WEB, '../build/release/src/haetae'), join(WEB, '../build/test/src/haetae')].find((p) => existsSync(p));
  if (!bin) throw new Error('no haetae binary: set HAETAE_BIN');
  const dist = resolve(process.env.WEB_DIST ?? join(WEB, 'dist'));
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built client in ${dist}: npm run build`);
  node = new Node(bin, await freePort(), dist);
  await node.start();
  BASE = node.url;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

const PC = { width: 1100, height: 720 };
const PHONE = { width: 390, height: 844 };

async function user(name, display, viewport = PC) {
  const ctx = await browser.newContext({ locale: 'ko-KR', viewport });
  const page = await ctx.newPage();
  await page.goto(BASE);
  await page.getByRole('button', { name: /회원가입|Sign up/ }).click();
  await page.fill('input[name=name]', name);
  await page.fill('input[name=display_name]', display);
  await page.fill('input[name=password]', `pw-${name}-123`);
  await page.click('button[type=submit]');
  await page.waitForSelector('.conn-connected');
  return { ctx, page, name };
}

async function addFriendAndOpen(u, friend) {
  await u.page.click('[data-tab=friends]');
  await u.page.fill('input[name=friend]', friend);
  await u.page.click('.friends .inline-form button[type=submit]');
  await u.page.click(`[data-friend="${friend}"]`);
  await u.page.waitForSelector('[data-room-screen]');
}

async function say(u, text) {
  await u.page.fill('textarea[name=body]', text);
  await u.page.keyboard.press('Enter');
}

try {
  await test('two users become friends and chat; badge and per-message count fall to 0 when read', async () => {
    const a = await user(`minji${uniq}`, '민지');
    const b = await user(`jun${uniq}`, '준', PHONE);
    await addFriendAndOpen(a, b.name);
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script> مرحبا 😀';
    await say(a, '안녕하세요! 반가워요');
    await say(a, hostile);
    await a.page.waitForFunction(() => document.querySelectorAll('.msg.mine [data-status=safe]').length === 2);
    await b.page.waitForSelector('[data-testid=badge]');
    assert((await b.page.textContent('[data-testid=badge]')).trim() === '2', 'badge is not 2');
    assert((await a.page.locator('[data-testid=msg-unread]').count()) === 2, 'unread counts before reading');
    await b.page.screenshot({ path: join(OUT, 'phone-chat-list.png') });
    await b.page.click('.room-item');
    await b.page.waitForSelector('.msg.theirs');
    const bodies = await b.page.locator('.msg.theirs .bubble').allTextContents();
    assert(bodies[1] === hostile, `pasted HTML not shown as text: ${bodies[1]}`);
    assert(!(await b.page.evaluate(() => window.__pwned === 1 || !!document.querySelector('.bubble img, .bubble script'))), 'HTML ran');
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=msg-unread]').length === 0, null, { timeout: 5000 });
    await say(b, '네 반가워요 👋');
    await a.page.waitForSelector('.msg.theirs');
    await b.page.click('.back');
    assert((await b.page.locator('[data-testid=badge]').count()) === 0, 'badge still shown after reading');
    await a.page.screenshot({ path: join(OUT, 'pc-chat.png') });
    await b.page.click('.room-item');
    await b.page.waitForSelector('.msg.mine');
    await b.page.screenshot({ path: join(OUT, 'phone-room.png') });
    await a.ctx.close();
    await b.ctx.close();
  });

  await test('a group of three: the per-message count falls 2 → 1 → 0', async () => {
    const a = await user(`ga${uniq}`, '가은');
    const b = await user(`na${uniq}`, '나래');
    const c = await user(`da${uniq}`, '다인');
    await a.page.click('.new-group');
    await a.page.fill('.chat-list .inline-form input >> nth=0', '우리 셋');
    await a.page.fill('.chat-list .inline-form input >> nth=1', `${b.name}, ${c.name}`);
    await a.page.click('.chat-list .inline-form button[type=submit]');
    await a.page.waitForSelector('[data-room-screen]');
    await say(a, '모두 안녕!');
    await a.page.waitForSelector('.msg.mine [data-status=safe]');
    await a.page.waitForFunction(() => document.querySelector('[data-testid=msg-unread]')?.textContent === '2');
    await b.page.click('.room-item');
    await b.page.waitForSelector('.msg.theirs');
    await a.page.waitForFunction(() => document.querySelector('[data-testid=msg-unread]')?.textContent === '1');
    await c.page.click('.room-item');
    await c.page.waitForSelector('.msg.theirs');
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=msg-unread]').length === 0);
    await say(c, '안녕하세요 😊');
    await b.page.waitForSelector('.msg.theirs >> text=안녕하세요');
    await b.page.screenshot({ path: join(OUT, 'pc-group.png') });
    for (const u of [a, b, c]) await u.ctx.close();
  });

  await test('English from the settings, profile edit, invite and leave a group (phone layout)', async () => {
    const a = await user(`en${uniq}`, 'Ann', PHONE);
    const b = await user(`bo${uniq}`, 'Bo');
    await a.page.click('[data-tab=settings]');
    await a.page.selectOption('select[name=lang]', 'en');
    await a.page.waitForSelector('text=Log out');
    await a.page.click('[data-tab=friends]');
    await a.page.click('[data-action=edit-profile]');
    await a.page.fill('.friends input[name=display_name]', 'Ann Lee');
    await a.page.click('.friends .inline-form button[type=submit]');
    await a.page.waitForSelector('.friend.me >> text=Ann Lee');
    await a.page.click('[data-tab=chats]');
    await a.page.click('.new-group');
    await a.page.fill('.chat-list .inline-form input >> nth=0', 'Weekend ☀️');
    await a.page.click('.chat-list .inline-form button[type=submit]');
    await a.page.waitForSelector('[data-room-screen]');
    await a.page.click('[data-action=invite]');
    await a.page.fill('input[name=invite]', b.name);
    await a.page.click('.invite button[type=submit]');
    await a.page.waitForSelector('text=2 members');
    await say(a, 'Hi Bo! <b>not bold</b>');
    await b.page.waitForSelector('.room-item >> text=Weekend');
    await a.page.screenshot({ path: join(OUT, 'phone-room-en.png') });
    a.page.once('dialog', (d) => d.accept());
    await a.page.click('[data-action=leave]');
    await a.page.waitForSelector('text=No chats yet.');
    await b.page.click('.room-item');
    await b.page.waitForSelector('.system >> text=Ann Lee');
    await a.ctx.close();
    await b.ctx.close();
  });

  if (node) {
    // The node serves the page too, so while it is down the tab is closed rather than reloaded:
    // the message must survive in IndexedDB and go out from the next page load, once.
    await test('a message typed while the server is down survives closing the page and arrives exactly once', async () => {
      const a = await user(`on${uniq}`, '온유');
      const b = await user(`ha${uniq}`, '하늘');
      await addFriendAndOpen(a, b.name);
      await say(a, '첫 메시지');
      await a.page.waitForSelector('.msg.mine [data-status=safe]');
      await b.page.waitForSelector('.room-item');
      await node.stop();
      await a.page.waitForSelector('.conn-connecting, .conn-waiting');
      const text = `서버가 꺼진 동안 ${uniq}`;
      await say(a, text);
      await a.page.waitForSelector('[data-status=sending]');
      await a.page.screenshot({ path: join(OUT, 'pc-offline-sending.png') });
      await a.page.close();
      await node.start();
      a.page = await a.ctx.newPage();
      await a.page.goto(BASE);
      await a.page.waitForSelector('.conn');
      await a.page.waitForSelector('.conn-connected', { timeout: 30000 });
      await b.page.waitForSelector('.conn-connected', { timeout: 30000 });
      await b.page.click('.room-item');
      await b.page.waitForSelector(`.msg.theirs >> text=${text}`, { timeout: 30000 });
      await sleep(1000);
      const n = await b.page.locator('.msg.theirs .bubble', { hasText: text }).count();
      assert(n === 1, `delivered ${n} times`);
      const first = await b.page.locator('.msg.theirs .bubble', { hasText: '첫 메시지' }).count();
      assert(first === 1, `first message shown ${first} times`);
      await a.page.click('.room-item');
      await a.page.waitForFunction(() => document.querySelectorAll('.msg.mine [data-status=safe]').length === 2);
      assert((await a.page.locator('[data-status=sending]').count()) === 0, 'still sending');
      await b.page.screenshot({ path: join(OUT, 'pc-after-restart.png') });
      await a.ctx.close();
      await b.ctx.close();
    });
  }
} finally {
  await browser.close();
  if (node) await node.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const failed = results.filter(([, ok]) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
