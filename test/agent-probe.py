# Traffic helper for the agent's real-packet tests: raw probes, echo servers, connects and held connections.
import json, socket, struct, sys, threading, time

def csum(data):
    if len(data) % 2: data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def l4(p, src, dst, v6):
    proto = p['protocol']
    if proto == 6:
        h = struct.pack('!HHIIBBHHH', p['sport'], p['dport'], 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    elif proto in (17, 136):
        h = struct.pack('!HHHH', p['sport'], p['dport'], 16, 0) + b'palisade'
    elif proto in (1, 58):
        h = struct.pack('!BBHHH', p['type'], p['code'], 0, p['id'] & 0xffff, 1) + b'palisade'
    else:
        h = struct.pack('!HH', p.get('sport', 1), p.get('dport', 1)) + b'palisade'
    if proto in (6, 17, 58, 136):
        pseudo = (src + dst + struct.pack('!IxxxB', len(h), proto)) if v6 else (src + dst + struct.pack('!xBH', proto, len(h)))
        c = csum(pseudo + h) or 0xffff
        off = {6: 16, 17: 6, 58: 2, 136: 6}[proto]
        h = h[:off] + struct.pack('!H', c) + h[off + 2:]
    elif proto == 1:
        h = h[:2] + struct.pack('!H', csum(h)) + h[4:]
    return h

def packet(p):
    v6 = ':' in p['dst']
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    src, dst = socket.inet_pton(fam, p['src']), socket.inet_pton(fam, p['dst'])
    body = l4(p, src, dst, v6)
    if v6:
        return struct.pack('!IHBB', (6 << 28) | (p.get('tos', 0xa0) << 20) | (p['mark'] & 0xfffff), len(body), p['protocol'], 64) + src + dst + body
    return struct.pack('!BBHHHBBH4s4s', 0x45, p.get('tos', 0xa0), 20 + len(body), p['mark'] & 0xffff, 0, 64, p['protocol'], 0, src, dst) + body

def send(probes):
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for i, p in enumerate(probes):
        v6 = ':' in p['dst']
        for attempt in range(50):
            try:
                (s6 if v6 else s4).sendto(packet(p), (p['dst'], 0))
                break
            except (BlockingIOError, OSError) as e:
                if getattr(e, 'errno', 0) not in (105, 11, 1): raise
                time.sleep(0.002)
        if i % 200 == 199: time.sleep(0.01)

def serve(ports):
    def tcp(port, fam, host):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6: s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((host, port)); s.listen(64)
        while True:
            c, _ = s.accept()
            threading.Thread(target=echo, args=(c,), daemon=True).start()
    def echo(c):
        try:
            while True:
                d = c.recv(4096)
                if not d: break
                c.sendall(d)
        except OSError: pass
    def udp(port, fam, host):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((host, port))
        while True:
            d, a = s.recvfrom(4096)
            s.sendto(d, a)
    for port in ports:
        for fam, host in ((socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::')):
            threading.Thread(target=tcp, args=(port, fam, host), daemon=True).start()
            threading.Thread(target=udp, args=(port, fam, host), daemon=True).start()
    print('ready', flush=True)
    while True: time.sleep(3600)

def connect(host, port, kind, src):
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM if kind == 'udp' else socket.SOCK_STREAM)
    s.settimeout(1.0)
    try:
        if src: s.bind((src, 0))
        s.connect((host, port)); s.sendall(b'ping')
        print('open' if s.recv(16) == b'ping' else 'closed')
    except OSError:
        print('closed')

def hold(host, port):
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.create_connection((host, port), timeout=2)
    s.settimeout(0.3)
    print('alive', flush=True)
    last = time.time()
    while True:
        try:
            s.sendall(b'x')
            if s.recv(16): last = time.time()
        except OSError: pass
        if time.time() - last > 0.6:
            print('dead %.3f' % time.time(), flush=True); return
        time.sleep(0.1)

def icmp_echo(host):
    v6 = ':' in host
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    s.settimeout(1.0)
    try:
        s.sendto(struct.pack('!BBHHH', 128 if v6 else 8, 0, 0, 0, 1) + b'palisade', (host, 0))
        s.recvfrom(64); print('open')
    except OSError:
        print('closed')

cmd = sys.argv[1]
if cmd == 'send': send(json.load(sys.stdin))
elif cmd == 'serve': serve([int(x) for x in sys.argv[2:]])
elif cmd == 'connect': connect(sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else 'tcp', sys.argv[5] if len(sys.argv) > 5 else None)
elif cmd == 'hold': hold(sys.argv[2], int(sys.argv[3]))
elif cmd == 'ping': icmp_echo(sys.argv[2])
