#!/usr/bin/env python3
"""gen-sysfs-tree.py OUT N [--capture TAR.GZ] [--force]

Writes a synthetic but realistic sysfs/procfs host tree with N PCI functions (at least 18) under OUT,
modelled on the d1-vtd-sriov-dual capture (an emulated q35 VT-d host): the capture's platform
functions (host bridge, VGA, virtio-9p, the management virtio NIC 00:03.0/eth0, ISA/SATA/SMBus
on 00:1f), then PCIe root ports (1b36:000c, pcieport), each with one card behind it:

  * quad-port e1000e cards (82571EB quad, 8086:10bc) and dual-port e1000e cards (82571EB,
    8086:105e): one function per port, each with a netdev, all ports of a card in one IOMMU group;
  * dual-port SR-IOV cards modelled on the 82576 (PF 8086:10c9, driver igb; VFs 8086:10ca,
    driver igbvf), sriov_totalvfs 63, offset 128, stride 2 (PF0's VFs on even, PF1's on odd
    functions of the same bus, as on the real card), with VFs created so that the total is N.

Every function gets the capture's attribute files for its kind (template copied, then the ids,
modalias, sriov_*, netdev address/ifindex... rewritten), a 64-byte `config` (type 0 or type 1
header consistent with vendor/device/class/revision/irq and the BARs) and a `resource` file
(13 lines, 17 for bridges, the kernel's format), the links the kernel makes (driver, iommu,
iommu_group, subsystem, firmware_node, physfn/virtfnN, net/<if>/device), its entries in
sys/bus/pci/devices, sys/bus/pci/drivers/<drv>, sys/kernel/iommu_groups/<g>/devices,
sys/devices/virtual/iommu/dmar0/devices and sys/class/net. proc/{cmdline,interrupts,net/route}
and sys/firmware/acpi/tables/DMAR are copied from the capture. Deterministic: same N, same tree.

Check:  nio-virt inventory --root OUT
        lspci -A linux-sysfs -O sysfs.path=OUT/sys/bus/pci -nn
"""
import argparse
import os
import shutil
import struct
import sys
import tarfile
import tempfile

# Copied from the project's shared bench folder (../shared/bench/gen-sysfs-tree.py); only this path
# changed, to the project's own copy of the d1 capture.
DEFAULT_CAPTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "nio-virt-detect",
                               "src", "test", "resources", "captures", "d1-vtd-sriov-dual.tar.gz")
ROOT_BUS = "sys/devices/pci0000:00"

# Templates in the capture (paths relative to its root).
T_PLATFORM = {  # copied whole (with their links), then config/resource/iommu_group added
    (0x00, 0x00, 0): "0000:00:00.0",
    (0x00, 0x01, 0): "0000:00:01.0",
    (0x00, 0x02, 0): "0000:00:02.0",
    (0x00, 0x03, 0): "0000:00:03.0",  # virtio-net, virtio1/net/eth0: the management NIC
    (0x00, 0x1f, 0): "0000:00:1f.0",
    (0x00, 0x1f, 2): "0000:00:1f.2",
    (0x00, 0x1f, 3): "0000:00:1f.3",
}
T_ROOTPORT = ROOT_BUS + "/0000:00:04.0"
T_IGB = ROOT_BUS + "/0000:00:04.0/0000:01:00.0"
T_IGBVF = ROOT_BUS + "/0000:00:04.0/0000:01:10.0"
T_E1000E = ROOT_BUS + "/0000:00:05.0/0000:02:00.0"
T_NET = {"igb": T_IGB + "/net/eth3", "igbvf": T_IGBVF + "/net/eth4", "e1000e": T_E1000E + "/net/eth1"}

MAX_VFS = 63
VF_OFFSET = 128
VF_STRIDE = 2
FUNCS_PER_SRIOV_CARD = 1 + 2 + 2 * MAX_VFS  # root port + 2 PFs + 126 VFs

# resource flags as the kernel prints them (IORESOURCE_*); the low nibble is the BAR's own bits
F_MEM32 = 0x00040200
F_MEM64 = 0x00140204
F_MEM64P = 0x0014220C
F_MEM32P = 0x00042208
F_IO = 0x00040101
F_BRIDGE_IO = 0x00000101
F_BRIDGE_MEM = 0x00000200
F_BRIDGE_PREF = 0x00102201


def rel(link, target):
    """Relative link text from the link at OUT/link to OUT/target (both relative to OUT)."""
    return os.path.relpath(target, os.path.dirname(link))


class Tree:
    def __init__(self, out, cap):
        self.out = out
        self.cap = cap
        self.links = 0
        self.files = 0

    def p(self, path):
        return os.path.join(self.out, path)

    def write(self, path, text):
        full = self.p(path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode()
        with open(full, "wb") as f:
            f.write(data)
        self.files += 1

    def link(self, path, target):
        full = self.p(path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if os.path.lexists(full):
            os.unlink(full)
        os.symlink(rel(path, target), full)
        self.links += 1

    def copy_files(self, src, dst, skip_dirs=(), rename=None, top=True):
        """Copies the regular files and plain subdirectories of capture dir src to dst, without
        its links and, at the top, without the child functions (0000:BB:DD.F) and skip_dirs;
        rename maps a top-level name (a root port's 0000:00:04.0:pcie001 service dirs)."""
        s = os.path.join(self.cap, src)
        os.makedirs(self.p(dst), exist_ok=True)
        for name in sorted(os.listdir(s)):
            sp = os.path.join(s, name)
            if os.path.islink(sp):
                continue
            dname = name
            if top and rename is not None:
                dname = rename(name)
            if os.path.isdir(sp):
                if top and (name in skip_dirs or (name.startswith("0000:") and dname == name)):
                    continue
                self.copy_files(os.path.join(src, name), os.path.join(dst, dname), top=False)
            else:
                shutil.copyfile(sp, self.p(os.path.join(dst, dname)))
                self.files += 1


class Function:
    def __init__(self, bus, dev, fn, kind, vendor, device, cls, rev, driver, parent_dir,
                 subsys=(0x1AF4, 0x1100), irq=0, header=0x00):
        self.bus, self.dev, self.fn = bus, dev, fn
        self.kind = kind
        self.vendor, self.device, self.cls, self.rev = vendor, device, cls, rev
        self.driver = driver
        self.dir = parent_dir + "/" + self.addr
        self.subsys = subsys
        self.irq = irq
        self.header = header
        self.group = None
        self.bars = []  # (index, start, size, flags)
        self.rom = None
        self.bridge = None  # (secondary, subordinate, windows[(start,end,flags)])
        self.netdev = None
        self.pf = None
        self.vfs = []

    @property
    def addr(self):
        return "0000:%02x:%02x.%d" % (self.bus, self.dev, self.fn)

    @property
    def key(self):
        return (self.bus, self.dev, self.fn)


class Allocator:
    def __init__(self, mem, io):
        self.mem, self.io = mem, io

    def mem_bar(self, size):
        self.mem = (self.mem + size - 1) // size * size
        start = self.mem
        self.mem += size
        return start

    def io_bar(self, size):
        self.io = (self.io + size - 1) // size * size
        start = self.io
        self.io += size
        return start


def config_header(f):
    """The 64-byte standard header, as the kernel's sysfs `config` returns it to a non-root reader."""
    c = bytearray(64)
    struct.pack_into("<HH", c, 0, f.vendor, f.device)
    command = 0x0007 if any(fl & 0x1 for _, _, _, fl in f.bars) else 0x0006
    if f.kind in ("hostbridge", "isa"):
        command = 0x0007
    if f.irq == 0 and f.kind not in ("hostbridge", "isa"):
        command |= 0x0400  # INTx disabled: MSI/MSI-X only (VFs)
    struct.pack_into("<HH", c, 4, command, 0x0000)  # status: no capability list (only 64 bytes)
    c[8] = f.rev
    c[9] = f.cls & 0xFF
    c[10] = (f.cls >> 8) & 0xFF
    c[11] = (f.cls >> 16) & 0xFF
    c[12] = 0x10  # cache line 64 bytes
    c[13] = 0x00
    c[14] = f.header
    if (f.header & 0x7F) == 0x01:
        sec, sub, windows = f.bridge
        c[0x18], c[0x19], c[0x1A] = f.bus, sec, sub
        io, mem, pref = windows
        if io[2]:
            c[0x1C] = ((io[0] >> 8) & 0xF0) | 0x01
            c[0x1D] = ((io[1] >> 8) & 0xF0) | 0x01
        else:
            c[0x1C], c[0x1D] = 0xF1, 0x01  # base > limit: closed
        if mem[2]:
            struct.pack_into("<HH", c, 0x20, (mem[0] >> 16) & 0xFFF0, (mem[1] >> 16) & 0xFFF0)
        else:
            struct.pack_into("<HH", c, 0x20, 0xFFF0, 0x0000)
        if pref[2]:
            struct.pack_into("<HH", c, 0x24, ((pref[0] >> 16) & 0xFFF0) | 1,
                             ((pref[1] >> 16) & 0xFFF0) | 1)
            struct.pack_into("<II", c, 0x28, pref[0] >> 32, pref[1] >> 32)
        else:
            struct.pack_into("<HH", c, 0x24, 0xFFF1, 0x0001)
        struct.pack_into("<H", c, 0x3E, 0x0012)  # bridge control: SERR, ISA... (typical qemu)
    else:
        for index, start, size, flags in f.bars:
            low = flags & 0xF
            struct.pack_into("<I", c, 0x10 + 4 * index, (start & 0xFFFFFFF0) | low)
            if flags & 0x4:  # 64-bit BAR: upper half in the next register
                struct.pack_into("<I", c, 0x10 + 4 * (index + 1), start >> 32)
        struct.pack_into("<HH", c, 0x2C, f.subsys[0], f.subsys[1])
        if f.rom:
            struct.pack_into("<I", c, 0x30, f.rom[0] & 0xFFFFF800)  # disabled ROM
    c[0x3C] = f.irq if 0 < f.irq < 256 else 0
    c[0x3D] = 1 if f.irq else 0
    return bytes(c)


def resource_text(f):
    lines = [(0, 0, 0)] * (17 if (f.header & 0x7F) == 0x01 else 13)
    for index, start, size, flags in f.bars:
        lines[index] = (start, start + size - 1, flags)
    if f.rom:
        lines[6] = (f.rom[0], f.rom[0] + f.rom[1] - 1, 0x00046200)
    if f.kind == "igb":  # SR-IOV BARs 7 and 10 (VF BAR0 and BAR3 for all totalvfs)
        base = f.iov_base
        lines[7] = (base, base + MAX_VFS * 0x4000 - 1, F_MEM64)
        lines[10] = (base + 0x100000, base + 0x100000 + MAX_VFS * 0x4000 - 1, F_MEM64)
    if (f.header & 0x7F) == 0x01:
        io, mem, pref = f.bridge[2]
        lines[13], lines[14], lines[15] = io, mem, pref
    return "".join("0x%016x 0x%016x 0x%016x\n" % l for l in lines)


def modalias(f):
    return "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n" % (
        f.vendor, f.device, f.subsys[0], f.subsys[1], f.cls >> 16, (f.cls >> 8) & 0xFF,
        f.cls & 0xFF)


def plan(n):
    """The functions of a host with about n of them (exactly n when n >= 18, the minimum)."""
    funcs = []
    platform = [
        Function(0, 0x00, 0, "hostbridge", 0x8086, 0x29C0, 0x060000, 0x00, None, ROOT_BUS),
        Function(0, 0x01, 0, "vga", 0x1234, 0x1111, 0x030000, 0x02, None, ROOT_BUS),
        Function(0, 0x02, 0, "virtio9p", 0x1AF4, 0x1009, 0x000200, 0x00, "virtio-pci", ROOT_BUS),
        Function(0, 0x03, 0, "virtionet", 0x1AF4, 0x1000, 0x020000, 0x00, "virtio-pci", ROOT_BUS),
        Function(0, 0x1F, 0, "isa", 0x8086, 0x2918, 0x060100, 0x02, None, ROOT_BUS),
        Function(0, 0x1F, 2, "sata", 0x8086, 0x2922, 0x010601, 0x02, None, ROOT_BUS),
        Function(0, 0x1F, 3, "smbus", 0x8086, 0x2930, 0x0C0500, 0x02, None, ROOT_BUS),
    ]
    n_quad = max(1, round(n / 1000))
    n_dual = max(1, round(n / 1000))
    fixed = len(platform) + n_quad * 5 + n_dual * 3
    remaining = max(0, n - fixed)
    n_sriov = max(1, -(-remaining // FUNCS_PER_SRIOV_CARD))
    vfs_total = max(0, remaining - 3 * n_sriov)
    vfs_total = min(vfs_total, 2 * n_sriov * MAX_VFS)
    # VFs per PF, as even as possible
    pfs = 2 * n_sriov
    per_pf = [vfs_total // pfs + (1 if i < vfs_total % pfs else 0) for i in range(pfs)]

    cards = [("sriov", i) for i in range(n_sriov)] + [("quad", i) for i in range(n_quad)] + \
            [("dual", i) for i in range(n_dual)]
    alloc_io = 0x2000
    rootports = []
    for i, (card, ci) in enumerate(cards):
        slot, fn = 0x04 + i // 8, i % 8
        bus = i + 1
        # a multi-function root-port slot has the multi-function bit on function 0..7
        multi = len(cards) > (i // 8) * 8 + 1
        rp = Function(0, slot, fn, "rootport", 0x1B36, 0x000C, 0x060400, 0x00, "pcieport",
                      ROOT_BUS, subsys=(0x1B36, 0x0000), irq=20 + i % 4,
                      header=0x81 if multi else 0x01)
        rootports.append(rp)
        mem = Allocator(0x80000000 + i * 0x01000000, 0)
        io_base = alloc_io if alloc_io < 0x10000 else None
        if io_base is not None:
            alloc_io += 0x1000
        io = Allocator(0, io_base or 0)
        children = []
        if card == "sriov":
            for p in range(2):
                pf = Function(bus, 0, p, "igb", 0x8086, 0x10C9, 0x020000, 0x01, "igb", rp.dir,
                              irq=20 + (i + p) % 4, header=0x80)
                pf.bars = [(0, mem.mem_bar(0x20000), 0x20000, F_MEM32),
                           (1, mem.mem_bar(0x400000 // 8), 0x400000 // 8, F_MEM32)]
                if io_base is not None:
                    pf.bars.append((2, io.io_bar(0x20), 0x20, F_IO))
                pf.bars.append((3, mem.mem_bar(0x4000), 0x4000, F_MEM32))
                pf.iov_base = 0x80000000 + i * 0x01000000 + 0x800000 + p * 0x200000
                pf.nvfs = per_pf[2 * ci + p]
                children.append(pf)
                for v in range(pf.nvfs):
                    rid = (bus << 8 | p) + VF_OFFSET + v * VF_STRIDE
                    vf = Function(bus, (rid >> 3) & 0x1F, rid & 7, "igbvf", 0x8086, 0x10CA,
                                  0x020000, 0x01, "igbvf", rp.dir, irq=0, header=0x00)
                    vf.bars = [(0, pf.iov_base + v * 0x4000, 0x4000, F_MEM64),
                               (3, pf.iov_base + 0x100000 + v * 0x4000, 0x4000, F_MEM64)]
                    vf.pf = pf
                    pf.vfs.append(vf)
                    children.append(vf)
        else:
            ports, dev_id = (4, 0x10BC) if card == "quad" else (2, 0x105E)
            for p in range(ports):
                e = Function(bus, 0, p, "e1000e", 0x8086, dev_id, 0x020000, 0x06, "e1000e", rp.dir,
                             subsys=(0x8086, 0x10BC if card == "quad" else 0x115E),
                             irq=20 + (i + p) % 4, header=0x80)
                e.bars = [(0, mem.mem_bar(0x20000), 0x20000, F_MEM32),
                          (1, mem.mem_bar(0x20000), 0x20000, F_MEM32)]
                if io_base is not None:
                    e.bars.append((2, io.io_bar(0x20), 0x20, F_IO))
                e.rom = (mem.mem_bar(0x20000), 0x20000)
                e.card = card
                children.append(e)
        mem_win = (0x80000000 + i * 0x01000000, 0x80000000 + i * 0x01000000 + 0x00FFFFFF,
                   F_BRIDGE_MEM)
        io_win = (io_base, io_base + 0xFFF, F_BRIDGE_IO) if io_base is not None else (0, 0, 0)
        rp.bridge = (bus, bus, (io_win, mem_win, (0, 0, 0)))
        rp.children = children
        rp.card = card
    # platform BARs (as on the capture's q35 machine)
    pmem = Allocator(0xFD000000, 0xC000)
    for f in platform:
        if f.kind == "vga":
            f.bars = [(0, 0xFC000000, 0x1000000, F_MEM32P), (2, 0xFEBD0000, 0x1000, F_MEM32)]
            f.rom = (0xFEBC0000, 0x10000)
        elif f.kind in ("virtio9p", "virtionet"):
            k = 0 if f.kind == "virtio9p" else 1
            f.bars = [(0, pmem.io_bar(0x40), 0x40, F_IO),
                      (1, 0xFEBD1000 + k * 0x1000, 0x1000, F_MEM32),
                      (4, 0xFE000000 + k * 0x4000, 0x4000, F_MEM64P)]
        elif f.kind == "sata":
            f.bars = [(4, pmem.io_bar(0x20), 0x20, F_IO), (5, 0xFEBD3000, 0x1000, F_MEM32)]
        elif f.kind == "smbus":
            f.bars = [(4, 0x0700, 0x40, F_IO)]
        if f.key[1] == 0x1F:
            f.header = 0x80
    # kernel probe order: bus 0 by devfn, then each secondary bus; VFs last (created later)
    bus0 = sorted(platform + rootports, key=lambda f: f.key)
    funcs.extend(bus0)
    for rp in rootports:
        funcs.extend(c for c in rp.children if c.kind != "igbvf")
    for rp in rootports:
        funcs.extend(c for c in rp.children if c.kind == "igbvf")
    return funcs, rootports, platform


def build(out, n, capture):
    work = tempfile.mkdtemp(prefix="gen-tree-cap-")
    try:
        with tarfile.open(capture) as t:
            t.extractall(work)
        cap = work
        if not os.path.isdir(os.path.join(cap, "sys")):
            entries = os.listdir(cap)
            if len(entries) == 1:
                cap = os.path.join(cap, entries[0])
        return _build(out, n, cap)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _build(out, n, cap):
    t = Tree(out, cap)
    funcs, rootports, platform = plan(n)

    # host-wide files copied from the capture
    for path in ("proc/cmdline", "proc/interrupts", "proc/net/route",
                 "sys/firmware/acpi/tables/DMAR"):
        os.makedirs(os.path.dirname(t.p(path)), exist_ok=True)
        shutil.copyfile(os.path.join(cap, path), t.p(path))
        t.files += 1
    for d in ("sys/kernel/irq", "sys/devices/virtual"):
        shutil.copytree(os.path.join(cap, d), t.p(d), symlinks=True,
                        ignore=lambda src, names: [x for x in names if x == "devices"
                                                   and src.endswith("dmar0")])
    os.makedirs(t.p("sys/devices/virtual/iommu/dmar0/devices"), exist_ok=True)
    t.link("sys/class/iommu/dmar0", "sys/devices/virtual/iommu/dmar0")
    t.link("sys/class/net/lo", "sys/devices/virtual/net/lo")
    for drv in sorted(os.listdir(os.path.join(cap, "sys/bus/pci/drivers"))):
        os.makedirs(t.p("sys/bus/pci/drivers/" + drv), exist_ok=True)
    os.makedirs(t.p("sys/bus/pci/devices"), exist_ok=True)
    os.makedirs(t.p(ROOT_BUS), exist_ok=True)

    # IOMMU groups in probe order; functions of one e1000e card share one, as do 00:1f.*
    groups = {}
    next_group = 0
    shared = {}
    for f in funcs:
        share_key = None
        if f.key[:2] == (0, 0x1F):
            share_key = "lpc"
        elif f.kind == "e1000e":
            share_key = ("card", f.bus)
        if share_key is not None and share_key in shared:
            f.group = shared[share_key]
        else:
            f.group = next_group
            next_group += 1
            if share_key is not None:
                shared[share_key] = f.group
        groups.setdefault(f.group, []).append(f)
    cap_group = "sys/kernel/iommu_groups/7"
    for g in groups:
        for name in ("type", "reserved_regions"):
            os.makedirs(t.p("sys/kernel/iommu_groups/%d/devices" % g), exist_ok=True)
            shutil.copyfile(os.path.join(cap, cap_group, name),
                            t.p("sys/kernel/iommu_groups/%d/%s" % (g, name)))
            t.files += 1

    # netdev names: eth0 is the capture's management virtio NIC; the rest in probe order
    ifindex = {"eth0": 2}
    next_eth, next_ifindex = 1, 3
    for f in funcs:
        if f.kind in ("igb", "igbvf", "e1000e"):
            f.netdev = "eth%d" % next_eth
            ifindex[f.netdev] = next_ifindex
            next_eth += 1
            next_ifindex += 1

    fw_index = 0
    for f in funcs:
        fw_index += 1
        if f.kind in ("hostbridge", "vga", "virtio9p", "virtionet", "isa", "sata", "smbus"):
            src = ROOT_BUS + "/" + f.addr
            shutil.copytree(os.path.join(cap, src), t.p(f.dir), symlinks=True)
            # ids and irq as the capture has them, so that config agrees with the files
            def value(name, d=f.dir):
                with open(t.p(d + "/" + name)) as fh:
                    return int(fh.read().strip(), 0)
            f.vendor, f.device, f.cls, f.rev = (value("vendor"), value("device"), value("class"),
                                                value("revision"))
            f.subsys = (value("subsystem_vendor"), value("subsystem_device"))
            f.irq = value("irq")
            if f.kind == "virtionet":
                t.link("sys/class/net/eth0", f.dir + "/virtio1/net/eth0")
        else:
            if f.kind == "rootport":
                tmpl = T_ROOTPORT
                taddr = "0000:00:04.0"
                t.copy_files(tmpl, f.dir, rename=lambda nm, a=f.addr, ta=taddr:
                             a + nm[len(ta):] if nm.startswith(ta + ":") else nm)
                t.write(f.dir + "/secondary_bus_number", "%d\n" % f.bridge[0])
                t.write(f.dir + "/subordinate_bus_number", "%d\n" % f.bridge[1])
                os.makedirs(t.p(f.dir + "/pci_bus/0000:%02x" % f.bridge[0]), exist_ok=True)
            else:
                tmpl = {"igb": T_IGB, "igbvf": T_IGBVF, "e1000e": T_E1000E}[f.kind]
                t.copy_files(tmpl, f.dir, skip_dirs=("net",))
            for name, value in (("vendor", "0x%04x" % f.vendor), ("device", "0x%04x" % f.device),
                                ("class", "0x%06x" % f.cls), ("revision", "0x%02x" % f.rev),
                                ("subsystem_vendor", "0x%04x" % f.subsys[0]),
                                ("subsystem_device", "0x%04x" % f.subsys[1]),
                                ("irq", "%d" % f.irq)):
                t.write(f.dir + "/" + name, value + "\n")
            t.write(f.dir + "/modalias", modalias(f))
            t.link(f.dir + "/subsystem", "sys/bus/pci")
            t.link(f.dir + "/iommu", "sys/devices/virtual/iommu/dmar0")
            t.link(f.dir + "/firmware_node",
                   "sys/devices/LNXSYSTM:00/LNXSYBUS:00/PNP0A08:00/device:%02x" % fw_index)
        if f.driver and f.kind not in ("hostbridge", "vga", "virtio9p", "virtionet", "isa",
                                       "sata", "smbus"):
            t.link(f.dir + "/driver", "sys/bus/pci/drivers/" + f.driver)
        t.link(f.dir + "/iommu_group", "sys/kernel/iommu_groups/%d" % f.group)
        t.write(f.dir + "/config", config_header(f))
        t.write(f.dir + "/resource", resource_text(f))

        # the kernel's indexes of the function
        t.link("sys/bus/pci/devices/" + f.addr, f.dir)
        if f.driver:
            t.link("sys/bus/pci/drivers/%s/%s" % (f.driver, f.addr), f.dir)
        t.link("sys/kernel/iommu_groups/%d/devices/%s" % (f.group, f.addr), f.dir)
        t.link("sys/devices/virtual/iommu/dmar0/devices/" + f.addr, f.dir)

        if f.kind == "igb":
            for name, value in (("sriov_totalvfs", MAX_VFS), ("sriov_numvfs", f.nvfs),
                                ("sriov_offset", VF_OFFSET), ("sriov_stride", VF_STRIDE)):
                t.write(f.dir + "/" + name, "%d\n" % value)
            t.write(f.dir + "/sriov_vf_device", "10ca\n")
            for v, vf in enumerate(f.vfs):
                t.link(f.dir + "/virtfn%d" % v, vf.dir)
        if f.kind == "igbvf":
            t.link(f.dir + "/physfn", f.pf.dir)

        if f.netdev:
            nd = f.dir + "/net/" + f.netdev
            t.copy_files(T_NET[f.kind], nd)
            index = ifindex[f.netdev]
            if f.kind == "igbvf":
                mac = "02:%02x:%02x:%02x:%02x:%02x" % (f.pf.fn, (index >> 8) & 0xFF, f.bus,
                                                      f.dev, f.fn)
                operstate, speed = "down", ""
            else:
                mac = "52:54:00:%02x:%02x:%02x" % ((index >> 16) & 0xFF, (index >> 8) & 0xFF,
                                                   index & 0xFF)
                operstate, speed = "up", "1000"
            t.write(nd + "/address", mac + "\n")
            t.write(nd + "/ifindex", "%d\n" % index)
            t.write(nd + "/iflink", "%d\n" % index)
            t.write(nd + "/operstate", operstate + "\n")
            t.write(nd + "/speed", speed + ("\n" if speed else ""))
            t.write(nd + "/dev_port", "0\n")
            t.link(nd + "/subsystem", "sys/class/net")
            t.link(nd + "/device", f.dir)
            t.link("sys/class/net/" + f.netdev, nd)
    return funcs, groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("n", type=int)
    ap.add_argument("--capture", default=DEFAULT_CAPTURE)
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("N must be positive")
    if os.path.exists(a.out) and os.listdir(a.out):
        if not a.force:
            ap.error("%s exists and is not empty (use --force to replace it)" % a.out)
        shutil.rmtree(a.out)
    os.makedirs(a.out, exist_ok=True)
    funcs, groups = build(a.out, a.n, a.capture)
    kinds = {}
    for f in funcs:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    print("%s: %d PCI functions (%s), %d IOMMU groups, %d netdevs" % (
        a.out, len(funcs), ", ".join("%s %d" % kv for kv in sorted(kinds.items())), len(groups),
        sum(1 for f in funcs if f.netdev) + 1))


if __name__ == "__main__":
    main()
