// A long-lived libnftables process in the agent's namespace: one transaction per framed script, no spawn per commit.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CommandError } from './command-runner.js';
import type { ElementChange } from './nft-render.js';

/**
 * The coprocess: python3 with ctypes over libnftables.so.1 (shipped with the nftables package). Reads
 * `<length> <kind>\n<body>` frames on stdin and answers each with `<rc> <length>\n<error text>`:
 * - kind `n`: an nft script, run with nft_run_cmd_from_buffer (one batch, as `nft -f`);
 * - kind `e`: element changes of plain address sets as JSON, sent as one nfnetlink batch of NEWSETELEM /
 *   DELSETELEM messages, which the kernel commits or aborts as a whole (a missing element aborts it, as
 *   in nft). libnftables first fetches every chain and set of the table into its cache, about 5.5 ms with
 *   1,000 chains and the same for one element as for many; this path sends only the elements (0.1 ms).
 * In a named namespace it exits once that namespace is deleted, so it never keeps a dead namespace alive,
 * and it exits when stdin closes (the agent died).
 */
const SOURCE = String.raw`
import ctypes, os, select, sys
lib = ctypes.CDLL('libnftables.so.1')
lib.nft_ctx_new.restype = ctypes.c_void_p
lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
for f in ('nft_ctx_buffer_output', 'nft_ctx_buffer_error'):
    getattr(lib, f).argtypes = [ctypes.c_void_p]
lib.nft_ctx_get_error_buffer.restype = ctypes.c_char_p
lib.nft_ctx_get_error_buffer.argtypes = [ctypes.c_void_p]
lib.nft_run_cmd_from_buffer.restype = ctypes.c_int
lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
ctx = lib.nft_ctx_new(0)
lib.nft_ctx_buffer_output(ctx)
lib.nft_ctx_buffer_error(ctx)
ns = sys.argv[1]
def ns_alive():
    try:
        a, b = os.stat('/run/netns/' + ns), os.stat('/proc/self/ns/net')
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
import json, socket, struct
# nfnetlink: linux/netlink.h, linux/netfilter/nfnetlink.h, linux/netfilter/nf_tables.h
NFT = 10                                   # NFNL_SUBSYS_NFTABLES
BEGIN, END = 0x10, 0x11                    # NFNL_MSG_BATCH_BEGIN / _END
NEWSETELEM, DELSETELEM = 12, 14
REQUEST, ACK, CREATE, NESTED = 0x1, 0x4, 0x400, 0x8000
nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)   # NETLINK_NETFILTER, in this namespace
nl.setsockopt(270, 10, 1)                  # SOL_NETLINK, NETLINK_CAP_ACK: errors without the request echoed
nl.bind((0, 0))
seq = 1
def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, t) + payload + b'\0' * (-n % 4)
def message(mtype, flags, family, res_id, body=b''):
    global seq
    seq += 1
    payload = struct.pack('=BBH', family, 0, socket.htons(res_id)) + body
    return struct.pack('=IHHII', 16 + len(payload), mtype, flags, seq, 0) + payload
def elements(req):
    table = req['table'].encode() + b'\0'
    parts, asked = [message(BEGIN, REQUEST, 0, NFT)], {}
    for c in req['changes']:
        family = socket.AF_INET if c['version'] == 4 else socket.AF_INET6
        keys = c['keys']
        for i in range(0, len(keys), 1000):
            elems = b''.join(attr(1 | NESTED, attr(1 | NESTED, attr(1, socket.inet_pton(family, k)))) for k in keys[i:i + 1000])
            body = attr(1, table) + attr(2, c['set'].encode() + b'\0') + attr(3 | NESTED, elems)
            kind = DELSETELEM if c['delete'] else NEWSETELEM
            parts.append(message((NFT << 8) | kind, REQUEST | ACK | (0 if c['delete'] else CREATE), 1, 0, body))
            asked[seq] = '%s element in %s' % ('delete' if c['delete'] else 'add', c['set'])
    parts.append(message(END, REQUEST, 0, NFT))
    data = b''.join(parts)
    # One sendmsg per batch: the socket's send buffer must hold all of it (as libnftables sizes it).
    nl.setsockopt(socket.SOL_SOCKET, 32, max(1 << 20, 2 * len(data)))   # SO_SNDBUFFORCE (root)
    nl.sendall(data)
    answered, err = set(), None
    while len(answered) < len(asked):
        if not select.select([nl], [], [], 0.2 if err else 10)[0]:
            break
        data = nl.recv(1 << 20)
        off = 0
        while off + 20 <= len(data):
            length, mtype, _, mseq, _ = struct.unpack_from('=IHHII', data, off)
            if mtype == 2 and mseq in asked and mseq not in answered:   # NLMSG_ERROR: an ack when the code is 0
                answered.add(mseq)
                code = struct.unpack_from('=i', data, off + 16)[0]
                if code != 0 and err is None:
                    err = 'netlink: %s: %s' % (asked[mseq], os.strerror(-code))
            off += max(16, (length + 3) & ~3)
    if err is None and len(answered) < len(asked):
        err = 'netlink: no answer from the kernel'
    return err
def run(kind, body):
    if kind == b'e':
        try:
            err = elements(json.loads(body))
        except Exception as e:
            err = 'netlink: %s' % e
        return (1, err.encode()) if err else (0, b'')
    rc = lib.nft_run_cmd_from_buffer(ctx, body)
    return rc, lib.nft_ctx_get_error_buffer(ctx) or b''
buf = bytearray()
def fill():
    while ns and not select.select([0], [], [], 1.0)[0]:
        if not ns_alive():
            sys.exit(0)
    chunk = os.read(0, 1 << 20)
    if not chunk:
        sys.exit(0)
    buf.extend(chunk)
os.write(1, b'ready\n')
while True:
    while b'\n' not in buf:
        fill()
    head, _, rest = bytes(buf).partition(b'\n')
    n, kind = head.split(b' ')
    n = int(n)
    del buf[:len(head) + 1]
    while len(buf) < n:
        fill()
    body = bytes(buf[:n])
    del buf[:n]
    rc, err = run(kind, body)
    reply = b'%d %d\n' % (rc, len(err)) + err
    while reply:
        reply = reply[os.write(1, reply):]
`;

interface Pending {
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
}

const NAME = 'nft (libnftables coprocess)';

/** One coprocess; `run` resolves when the kernel committed the script and rejects (nothing applied) when nft refused it. */
export class NftCoprocess {
  #child: ChildProcessWithoutNullStreams | null = null;
  #ready: Promise<void> | null = null;
  #out = Buffer.alloc(0);
  #pending: Pending[] = [];

  constructor(readonly netns?: string, readonly timeoutMs = 300_000) {}

  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts the coprocess if needed; rejects when python3 or libnftables is missing. */
  start(): Promise<void> {
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  run(script: string): Promise<void> {
    return this.#send('n', script);
  }

  /** Element changes of plain address sets (inet table `table`) in one kernel transaction, without libnftables. */
  elements(table: string, changes: readonly ElementChange[]): Promise<void> {
    return this.#send('e', JSON.stringify({ table, changes }));
  }

  async #send(kind: 'n' | 'e', text: string): Promise<void> {
    await this.start();
    const child = this.#child;
    if (!child) throw new CommandError(NAME, null, 'not running');
    const body = Buffer.from(text, 'utf8');
    const done = new Promise<void>((resolve, reject) => this.#pending.push({ resolve, reject }));
    this.#hold(true);
    child.stdin.write(Buffer.concat([Buffer.from(`${body.length} ${kind}\n`), body]));
    const timer = setTimeout(() => this.#fail(`no answer within ${this.timeoutMs} ms`), this.timeoutMs);
    try {
      await done;
    } finally {
      clearTimeout(timer);
      if (this.#pending.length === 0) this.#hold(false);
    }
  }

  /** Ends the coprocess; the next run starts a new one. */
  close(): void {
    this.#fail('closed');
  }

  #spawn(): Promise<void> {
    const py = ['python3', '-c', SOURCE, this.netns ?? ''];
    const argv = this.netns ? ['nsenter', `--net=/run/netns/${this.netns}`, ...py] : py;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child = child;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-2000)));
    child.stdin.on('error', () => undefined);
    return new Promise<void>((resolve, reject) => {
      let started = false;
      child.stdout.on('data', (d: Buffer) => {
        this.#out = Buffer.concat([this.#out, d]);
        if (!started && this.#out.includes('\n')) {
          started = this.#out.subarray(0, this.#out.indexOf('\n')).toString() === 'ready';
          this.#out = this.#out.subarray(this.#out.indexOf('\n') + 1);
          if (started) {
            this.#hold(this.#pending.length > 0);
            resolve();
          }
        }
        if (started) this.#answer();
      });
      const gone = (why: string) => {
        if (this.#child !== child) return;
        this.#fail(why);
        if (!started) reject(new CommandError(NAME, null, why));
      };
      child.on('error', (e) => gone(e.message));
      child.on('close', (code) => gone(`exited with ${String(code)}: ${stderr.trim()}`));
    });
  }

  /** Parses every complete answer in the output buffer, oldest request first. */
  #answer(): void {
    for (;;) {
      const eol = this.#out.indexOf('\n');
      if (eol < 0) return;
      const [rc, len] = this.#out.subarray(0, eol).toString().split(' ').map(Number) as [number, number];
      if (this.#out.length < eol + 1 + len) return;
      const err = this.#out.subarray(eol + 1, eol + 1 + len).toString('utf8');
      this.#out = this.#out.subarray(eol + 1 + len);
      const p = this.#pending.shift();
      if (rc === 0) p?.resolve();
      else p?.reject(new CommandError(NAME, rc, err));
    }
  }

  /** A lost or killed coprocess leaves every pending script's outcome unknown: they all fail (the table then resyncs). */
  #fail(why: string): void {
    const child = this.#child;
    this.#child = null;
    this.#ready = null;
    this.#out = Buffer.alloc(0);
    if (child && child.exitCode === null) child.kill('SIGKILL');
    for (const p of this.#pending.splice(0)) p.reject(new CommandError(NAME, null, why));
  }

  /** Keeps the event loop alive only while a script is in flight, so an idle agent or test can exit. */
  #hold(busy: boolean): void {
    const c = this.#child;
    if (!c) return;
    for (const h of [c, c.stdin, c.stdout, c.stderr] as { ref(): void; unref(): void }[]) (busy ? h.ref() : h.unref());
  }
}
