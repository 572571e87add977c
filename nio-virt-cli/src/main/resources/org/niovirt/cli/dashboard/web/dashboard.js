// nio-virt dashboard: draws /api/view as SVG and redraws on every server-sent "view" event.
// No library and no network access beyond this server: the page works offline.
// All data goes into the DOM through textContent / setAttribute, never as HTML.
'use strict';

(function () {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const DOMAIN_COLOURS = ['#0f9d8a', '#c2185b', '#2e7d32', '#e67e00', '#00838f', '#6d4c41', '#5e35b1',
    '#1565c0', '#ad1457', '#558b2f', '#d84315', '#4527a0'];
  /** Colour per guest of the current view: its hashed colour unless another guest has it. */
  let coloursInUse = new Map();
  const CHIP_W = 112, CHIP_H = 42, CHIP_GAP = 8;
  const DOMAIN_W = 300, WIRE_SPACE = 130, MARGIN = 16;

  let previousHolders = new Map();
  let actionsEnabled = false;
  /** '?host=NAME' on a fleet's dashboard (the host chosen in the selector), else ''. */
  let hostQuery = '';

  // ---------- small helpers ----------

  function svg(tag, attrs, parent, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, String(value));
    }
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(tag, attrs, parent, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null) node.setAttribute(key, String(value));
    }
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function tooltip(parent, text) {
    svg('title', {}, parent, text);
  }

  /** Shortens text to roughly maxPx at a font size, with an ellipsis. */
  function fit(text, maxPx, fontPx) {
    const s = String(text == null ? '' : text);
    const maxChars = Math.max(3, Math.floor(maxPx / (fontPx * 0.58)));
    return s.length <= maxChars ? s : s.slice(0, maxChars - 1) + '\u2026';
  }

  /** Long paths keep their start and their file name: test:///tmp/…/sample-host.xml. */
  function middleEllipsis(text, max) {
    const s = String(text);
    if (s.length <= max) return s;
    const tail = Math.floor(max * 0.6);
    return s.slice(0, max - tail - 1) + '\u2026' + s.slice(s.length - tail);
  }

  function hashedColour(domain) {
    let hash = 2166136261;
    for (let i = 0; i < domain.length; i++) {
      hash ^= domain.charCodeAt(i);
      hash = Math.imul(hash, 16777619) >>> 0;
    }
    return hash % DOMAIN_COLOURS.length;
  }

  /** Stable for a given set of guests; two guests share a colour only beyond 12 of them. */
  function assignColours(domains) {
    const assigned = new Map();
    const taken = new Set();
    for (const name of domains.map(d => d.name).sort()) {
      let index = hashedColour(name);
      for (let step = 0; step < DOMAIN_COLOURS.length && taken.has(index); step++) {
        index = (index + 1) % DOMAIN_COLOURS.length;
      }
      taken.add(index);
      assigned.set(name, DOMAIN_COLOURS[index]);
    }
    coloursInUse = assigned;
  }

  function colourOf(domain) {
    return coloursInUse.get(domain) || DOMAIN_COLOURS[hashedColour(domain)];
  }

  function tint(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  /** 0000:01:10.2 -> 01:10.2 (the domain is nearly always 0000). */
  function shortPci(address) {
    return address && address.startsWith('0000:') ? address.slice(5) : address;
  }

  function isActive(domain) {
    return domain && (domain.state === 'running' || domain.state === 'paused' || domain.state === 'blocked');
  }

  function badge(parent, x, y, text, kind, hint) {
    const width = text.length * 6.6 + 18;
    const g = svg('g', {}, parent);
    svg('rect', { x: x, y: y, width: width, height: 22, rx: 11, class: 'badge-frame ' + kind }, g);
    svg('text', { x: x + 9, y: y + 15, class: 'badge-text' }, g, text);
    if (hint) tooltip(g, hint);
    return width;
  }

  function tag(parent, x, y, text, kind, stroke) {
    const width = text.length * 6.1 + 12;
    svg('rect', { x: x, y: y, width: width, height: 17, rx: 4, class: 'tag-frame ' + kind, stroke: stroke }, parent);
    svg('text', { x: x + 6, y: y + 12.5, class: 'tag', fill: stroke || null }, parent, text);
    return width + 5;
  }

  // ---------- the drawing ----------

  function layoutPort(port, innerWidth) {
    const infoWidth = port.sriov ? Math.min(320, Math.max(250, innerWidth * 0.36)) : innerWidth;
    let height = 66;
    let perRow = 0;
    if (port.sriov) {
      const chipsWidth = innerWidth - infoWidth - 16;
      perRow = Math.max(1, Math.floor((chipsWidth + CHIP_GAP) / (CHIP_W + CHIP_GAP)));
      const rows = Math.max(1, Math.ceil(port.sriov.vfs.length / perRow));
      height = Math.max(height, 24 + rows * (CHIP_H + CHIP_GAP));
    }
    return { infoWidth: infoWidth, height: height, perRow: perRow };
  }

  function draw(view) {
    const container = document.getElementById('diagram');
    const width = Math.max(container.clientWidth || 1100, 1000);
    const hostX = MARGIN;
    const hostW = width - 2 * MARGIN - DOMAIN_W - WIRE_SPACE;
    const domainX = width - MARGIN - DOMAIN_W;
    const root = svg('svg', { width: width, xmlns: SVG_NS, role: 'img' });
    const wiresLayer = svg('g', { class: 'wires' });
    const hostLayer = svg('g', { class: 'host' }, root);
    const domainLayer = svg('g', { class: 'domains' }, root);
    root.appendChild(wiresLayer);

    const domainsByName = new Map(view.domains.map(d => [d.name, d]));
    const anchors = []; // {domain, nicIndex, x, y, kind}
    const holders = new Map();

    // Host frame and its IOMMU strip.
    let y = MARGIN;
    svg('text', { x: hostX, y: y + 12, class: 'column-title' }, hostLayer, 'HOST');
    svg('text', { x: domainX, y: y + 12, class: 'column-title' }, domainLayer, 'GUESTS');
    y += 22;
    const hostTop = y;
    const hostFrame = svg('rect', { x: hostX, y: hostTop, width: hostW, rx: 12, class: 'host-frame' }, hostLayer);
    y += 16;
    let bx = hostX + 16;
    const iommu = view.iommu;
    const vendor = { INTEL_VTD: 'Intel VT-d', AMD_VI: 'AMD-Vi', NONE: 'no IOMMU', UNKNOWN: 'IOMMU vendor unknown' }[iommu.vendor] || iommu.vendor;
    bx += badge(hostLayer, bx, y, vendor, iommu.present ? 'ok' : 'neutral', 'From the ACPI DMAR/IVRS table and /sys/class/iommu') + 6;
    bx += badge(hostLayer, bx, y, iommu.enabled ? 'IOMMU enabled' : 'IOMMU disabled', iommu.enabled ? 'ok' : 'bad',
      iommu.enabled ? 'The kernel built IOMMU groups' : 'No IOMMU groups: VT-d and SR-IOV assignment are impossible') + 6;
    const remap = { YES: ['interrupt remapping on', 'ok'], NO: ['no interrupt remapping', 'bad'], UNKNOWN: ['interrupt remapping unknown', 'warn'] }[iommu.interruptRemapping] || ['?', 'neutral'];
    bx += badge(hostLayer, bx, y, remap[0], remap[1], 'Without it a guest with a host device could forge interrupts') + 6;
    bx += badge(hostLayer, bx, y, iommu.groups.length + (iommu.groups.length === 1 ? ' group' : ' groups'), 'neutral') + 6;
    if (iommu.passthroughMode) bx += badge(hostLayer, bx, y, 'iommu=pt', 'neutral') + 6;
    if (view.host.vhostNet) bx += badge(hostLayer, bx, y, 'vhost-net', 'ok', '/dev/vhost-net: in-kernel virtio data path') + 6;
    y += 36;

    // Cards with their ports and VFs.
    const cardX = hostX + 14;
    const cardW = hostW - 28;
    if (view.cards.length === 0) {
      svg('text', { x: cardX, y: y + 16, class: 'empty-note' }, hostLayer, 'No network card found in this inventory.');
      y += 30;
    }
    for (const card of view.cards) {
      const cardGroup = svg('g', { 'data-card': card.slot }, hostLayer);
      const innerW = cardW - 24;
      const layouts = card.ports.map(p => layoutPort(p, innerW));
      const cardH = 48 + layouts.reduce((sum, l) => sum + l.height + 10, 0);
      svg('rect', { x: cardX, y: y, width: cardW, height: cardH, rx: 9, class: 'card-frame' }, cardGroup);
      svg('text', { x: cardX + 12, y: y + 20, class: 'card-title' }, cardGroup, fit(card.name, cardW - 180, 13));
      const portsText = card.ports.length === 1 ? 'single-port' : card.ports.length === 2 ? 'dual-port' : card.ports.length === 4 ? 'quad-port' : card.ports.length + ' ports';
      svg('text', { x: cardX + 12, y: y + 37, class: 'card-meta mono' }, cardGroup,
        fit('slot ' + card.slot + ' \u00b7 ' + portsText + (card.pcieLink ? ' \u00b7 PCIe ' + card.pcieLink : ''), cardW - 24, 11));
      let py = y + 48;
      card.ports.forEach((port, i) => {
        drawPort(cardGroup, port, layouts[i], cardX + 12, py, innerW, domainsByName, anchors, holders, hostX + hostW);
        py += layouts[i].height + 10;
      });
      y += cardH + 12;
    }

    // virtio back ends: one row per attachment used by some guest NIC.
    const backEnds = new Map();
    for (const domain of view.domains) {
      for (const nic of domain.nics) {
        if (nic.technology === 'virtio') {
          const key = nic.attachment || 'virtio';
          if (!backEnds.has(key)) backEnds.set(key, []);
          backEnds.get(key).push({ domain: domain.name, nic: nic.index });
        }
      }
    }
    if (backEnds.size > 0) {
      const boxH = 30 + backEnds.size * 30;
      const g = svg('g', { class: 'virtio-switch' }, hostLayer);
      svg('rect', { x: cardX, y: y, width: cardW, height: boxH, rx: 9, class: 'switch-frame' }, g);
      svg('text', { x: cardX + 12, y: y + 19, class: 'card-title' }, g, 'virtio back ends (paravirtual, no host device)');
      let ry = y + 30;
      for (const [attachment, users] of backEnds) {
        const row = svg('g', { 'data-backend': attachment }, g);
        svg('rect', { x: cardX + 12, y: ry, width: cardW - 24, height: 24, rx: 6, fill: '#ffffff', stroke: '#c4d3f5' }, row);
        svg('text', { x: cardX + 22, y: ry + 16, class: 'switch-label' }, row, attachment);
        svg('text', { x: cardX + cardW - 22, y: ry + 16, class: 'card-meta', 'text-anchor': 'end' }, row,
          users.length + (users.length === 1 ? ' guest NIC' : ' guest NICs'));
        for (const user of users) {
          anchors.push({ domain: user.domain, nicIndex: user.nic, x: hostX + hostW, y: ry + 12, kind: 'virtio' });
        }
        ry += 30;
      }
      y += boxH + 12;
    }
    if (view.heldElsewhere.length > 0) {
      svg('text', { x: cardX, y: y + 12, class: 'card-meta' }, hostLayer,
        'Also held by guests but not in this inventory: ' + view.heldElsewhere.map(h => shortPci(h.address) + ' (' + h.holder + ')').join(', '));
      y += 22;
    }
    hostFrame.setAttribute('height', y - hostTop + 4);
    const hostBottom = y + 4;

    // Guests, placed near the devices they use so that wires stay short.
    const firstAnchor = name => {
      const ys = anchors.filter(a => a.domain === name).map(a => a.y);
      return ys.length ? Math.min.apply(null, ys) : Infinity;
    };
    const domains = view.domains.slice().sort((a, b) => firstAnchor(a.name) - firstAnchor(b.name) || a.name.localeCompare(b.name));
    let dy = hostTop;
    const nicRows = new Map();
    if (domains.length === 0) {
      svg('text', { x: domainX, y: dy + 18, class: 'empty-note' }, domainLayer, 'No guest is defined on this connection.');
    }
    for (const domain of domains) {
      const colour = colourOf(domain.name);
      const height = 52 + Math.max(1, domain.nics.length) * 26;
      const wanted = firstAnchor(domain.name) === Infinity ? dy : firstAnchor(domain.name) - 40;
      dy = Math.max(dy, wanted);
      const g = svg('g', { 'data-domain': domain.name, 'data-state': domain.state }, domainLayer);
      svg('rect', { x: domainX, y: dy, width: DOMAIN_W, height: height, rx: 10, stroke: colour,
        class: 'domain-frame' + (isActive(domain) ? '' : ' inactive') }, g);
      svg('rect', { x: domainX, y: dy, width: 6, height: height, rx: 3, fill: colour }, g);
      svg('text', { x: domainX + 16, y: dy + 22, class: 'domain-name' }, g, fit(domain.name, DOMAIN_W - 110, 13.5));
      const stateW = domain.state.length * 6.4 + 16;
      svg('rect', { x: domainX + DOMAIN_W - stateW - 10, y: dy + 9, width: stateW, height: 19, rx: 9.5, class: 'state-frame ' + domain.state }, g);
      svg('text', { x: domainX + DOMAIN_W - stateW / 2 - 10, y: dy + 22.5, 'text-anchor': 'middle', class: 'domain-state', 'data-role': 'state' }, g, domain.state);
      const facts = [];
      if (domain.vcpus) facts.push(domain.vcpus + ' vCPU');
      if (domain.memoryMiB) facts.push(domain.memoryMiB + ' MiB');
      facts.push(domain.nics.length + (domain.nics.length === 1 ? ' NIC' : ' NICs'));
      svg('text', { x: domainX + 16, y: dy + 40, class: 'card-meta' }, g, facts.join(' \u00b7 '));
      let ny = dy + 52;
      if (domain.nics.length === 0) {
        svg('text', { x: domainX + 16, y: ny + 16, class: 'empty-note' }, g, 'no network interface');
      }
      for (const nic of domain.nics) {
        const techW = nic.technology.length * 7 + 12;
        svg('rect', { x: domainX + 16, y: ny + 3, width: techW, height: 18, rx: 4, class: 'tech-' + nic.technology }, g);
        svg('text', { x: domainX + 22, y: ny + 16, class: 'nic-tech' }, g, nic.technology);
        const what = nic.technology === 'virtio' ? (nic.attachment || 'virtio') : (nic.devices.map(shortPci).join(', ') || '?');
        svg('text', { x: domainX + 24 + techW, y: ny + 16, class: 'nic-row mono' }, g,
          fit('nic' + nic.index + '  ' + what + (nic.mac ? '  ' + nic.mac : ''), DOMAIN_W - techW - 34, 11.5));
        nicRows.set(domain.name + '#' + nic.index, { x: domainX, y: ny + 12 });
        ny += 26;
      }
      tooltip(g, domain.name + ' (' + domain.state + ')'
        + (domain.cannotStart || []).map(p => '\ncannot start: ' + p).join(''));
      dy += height + 14;
    }
    const totalHeight = Math.max(hostBottom, dy) + 10;

    // Wires from host devices to guest NICs; wires leaving at one height fan out a little.
    const atHeight = new Map();
    for (const anchor of anchors) {
      const key = Math.round(anchor.y);
      const n = atHeight.get(key) || 0;
      atHeight.set(key, n + 1);
      anchor.y += n * 7;
    }
    for (const anchor of anchors) {
      const end = nicRows.get(anchor.domain + '#' + anchor.nicIndex) || nicRows.get(anchor.domain + '#' + 0);
      if (!end) continue;
      const domain = domainsByName.get(anchor.domain);
      const bend = Math.max(40, (end.x - anchor.x) / 2);
      svg('path', {
        d: 'M' + anchor.x + ' ' + anchor.y + ' C' + (anchor.x + bend) + ' ' + anchor.y + ', ' + (end.x - bend) + ' ' + end.y + ', ' + end.x + ' ' + end.y,
        stroke: colourOf(anchor.domain),
        class: 'wire' + (isActive(domain) ? '' : ' inactive') + (anchor.kind === 'virtio' ? ' virtio' : ''),
        'data-wire': anchor.domain,
      }, wiresLayer);
      svg('circle', { cx: anchor.x, cy: anchor.y, r: 3.5, fill: colourOf(anchor.domain) }, wiresLayer);
      svg('circle', { cx: end.x, cy: end.y, r: 3.5, fill: colourOf(anchor.domain) }, wiresLayer);
    }

    // Legend.
    const ly = totalHeight + 6;
    let lx = MARGIN;
    const legend = svg('g', { class: 'legend' }, root);
    const legendItem = (cls, label, extra) => {
      svg('rect', Object.assign({ x: lx, y: ly, width: 22, height: 14, rx: 3, class: cls }, extra || {}), legend);
      svg('text', { x: lx + 28, y: ly + 11, class: 'legend-text' }, legend, label);
      lx += 34 + label.length * 6.2 + 14;
    };
    legendItem('vf-frame free', 'free VF');
    legendItem('vf-frame', 'VF in use (guest colour)', { fill: tint('#0f9d8a', 0.18), stroke: '#0f9d8a' });
    legendItem('vf-frame reserved', 'held by a guest that is not running', { fill: tint('#0f9d8a', 0.08), stroke: '#0f9d8a' });
    legendItem('vf-frame absent', 'VF not created yet');
    legendItem('port-frame management', 'management NIC (never assigned)');
    root.setAttribute('height', ly + 26);
    root.setAttribute('viewBox', '0 0 ' + width + ' ' + (ly + 26));

    container.replaceChildren(root);
    previousHolders = holders;
  }

  // Wires leave the host frame at the height of the device they come from (edgeX), so that they
  // never cross other devices; the device itself carries the guest's colour and name.
  function drawPort(parent, port, layout, x, y, innerW, domainsByName, anchors, holders, edgeX) {
    const g = svg('g', { 'data-port': port.address, 'data-holder': port.heldBy || '' }, parent);
    const holder = port.heldBy ? domainsByName.get(port.heldBy) : null;
    const colour = port.heldBy ? colourOf(port.heldBy) : null;
    const frame = svg('rect', { x: x, y: y, width: layout.infoWidth, height: layout.height, rx: 7,
      class: 'port-frame' + (port.management ? ' management' : '') }, g);
    if (colour) {
      frame.setAttribute('fill', tint(colour, isActive(holder) ? 0.16 : 0.07));
      frame.setAttribute('stroke', colour);
      frame.setAttribute('stroke-width', '2');
    }
    const netdev = port.netdevs[0];
    const state = netdev ? netdev.operState : 'UNKNOWN';
    svg('circle', { cx: x + 14, cy: y + 17, r: 5, class: state === 'UP' ? 'link-up' : state === 'DOWN' ? 'link-down' : 'link-unknown' }, g);
    const names = port.netdevs.map(n => n.name).join(', ') || '(no netdev)';
    svg('text', { x: x + 26, y: y + 21, class: 'port-name' }, g, fit(names, layout.infoWidth - 120, 12.5));
    svg('text', { x: x + layout.infoWidth - 10, y: y + 21, class: 'port-meta mono', 'text-anchor': 'end' }, g, port.address);
    const details = [];
    if (netdev && netdev.mac) details.push(netdev.mac);
    if (netdev && netdev.speedMbps) details.push(netdev.speedMbps >= 1000 ? (netdev.speedMbps / 1000) + ' Gb/s' : netdev.speedMbps + ' Mb/s');
    details.push(port.driver || 'no driver');
    if (port.numaNode !== null && port.numaNode !== undefined && port.numaNode >= 0) details.push('NUMA ' + port.numaNode);
    svg('text', { x: x + 12, y: y + 39, class: 'port-meta mono' }, g, fit(details.join(' \u00b7 '), layout.infoWidth - 22, 11));
    let tx = x + 12;
    const ty = y + layout.height - 24 < y + 46 ? y + 46 : y + layout.height - 24;
    if (port.management) tx += tag(g, tx, ty, 'management: never assigned', 'mgmt');
    if (port.iommuGroup !== null && port.iommuGroup !== undefined) {
      tx += tag(g, tx, ty, 'IOMMU group ' + port.iommuGroup, 'group' + (port.groupViable ? '' : ' unviable'));
    }
    if (port.heldBy) {
      tx += tag(g, tx, ty, '\u2192 ' + port.heldBy + ' (vtd)', 'pt', colour);
      anchors.push({ domain: port.heldBy, nicIndex: port.heldByNic, x: edgeX, y: y + layout.height / 2, kind: 'vtd' });
      holders.set(port.address, port.heldBy);
    }
    tooltip(g, port.name + '\n' + port.address + (port.heldBy ? '\nheld by ' + port.heldBy : ''));
    if (!port.sriov) return;

    const sx = x + layout.infoWidth + 16;
    const sriov = port.sriov;
    const used = sriov.vfs.filter(v => v.heldBy).length;
    svg('text', { x: sx, y: y + 13, class: 'sriov-head' }, g,
      'SR-IOV \u00b7 ' + sriov.numVfs + ' of ' + sriov.totalVfs + ' VFs created \u00b7 ' + used + ' in use');
    sriov.vfs.forEach((vf, i) => {
      const cx = sx + (i % layout.perRow) * (CHIP_W + CHIP_GAP);
      const cy = y + 22 + Math.floor(i / layout.perRow) * (CHIP_H + CHIP_GAP);
      const vfHolder = vf.heldBy ? domainsByName.get(vf.heldBy) : null;
      const status = vf.heldBy ? (isActive(vfHolder) ? 'in-use' : 'reserved') : vf.exists ? 'free' : 'absent';
      const chip = svg('g', { 'data-vf': vf.address, 'data-holder': vf.heldBy || '', 'data-status': status }, g);
      const rect = svg('rect', { x: cx, y: cy, width: CHIP_W, height: CHIP_H, rx: 6,
        class: 'vf-frame ' + (status === 'in-use' ? '' : status) }, chip);
      let holderText = vf.exists ? 'free' : 'not created';
      let holderClass = 'vf-holder ' + (vf.exists ? 'free' : 'absent');
      let holderFill = null;
      if (vf.heldBy) {
        const c = colourOf(vf.heldBy);
        rect.setAttribute('fill', tint(c, status === 'in-use' ? 0.2 : 0.07));
        rect.setAttribute('stroke', c);
        holderText = vf.heldBy;
        holderClass = 'vf-holder';
        holderFill = c;
        anchors.push({ domain: vf.heldBy, nicIndex: vf.heldByNic, x: edgeX, y: cy + CHIP_H / 2, kind: 'sriov' });
        holders.set(vf.address, vf.heldBy);
      }
      if (previousHolders.size > 0 && (previousHolders.get(vf.address) || '') !== (vf.heldBy || '')) {
        chip.setAttribute('class', 'changed');
      }
      svg('text', { x: cx + 8, y: cy + 16, class: 'vf-label' }, chip, 'VF' + vf.index);
      svg('text', { x: cx + CHIP_W - 8, y: cy + 16, class: 'vf-address mono', 'text-anchor': 'end' }, chip, shortPci(vf.address));
      svg('text', { x: cx + 8, y: cy + 33, class: holderClass, fill: holderFill }, chip, fit(holderText, CHIP_W - 16, 11));
      tooltip(chip, 'VF' + vf.index + ' ' + vf.address +
        (vf.netdev ? '\nnetdev ' + vf.netdev : '') + (vf.driver ? '\ndriver ' + vf.driver : '') +
        (vf.iommuGroup !== null && vf.iommuGroup !== undefined ? '\nIOMMU group ' + vf.iommuGroup : '') +
        '\n' + (vf.heldBy ? 'held by ' + vf.heldBy + (status === 'reserved' ? ' (not running)' : '') : vf.exists ? 'free' : 'created on demand by raising sriov_numvfs'));
    });
  }

  // ---------- panels ----------

  function renderHeader(view) {
    const source = document.getElementById('source');
    source.textContent = 'hardware: ' + middleEllipsis(view.host.source, 44);
    source.title = view.host.source;
    const connection = document.getElementById('connection');
    connection.textContent = 'libvirt: ' + middleEllipsis(view.connection.uri, 44);
    connection.title = view.connection.uri;
    connection.classList.toggle('test-driver', view.connection.testDriver);
    const banner = document.getElementById('test-driver-banner');
    banner.hidden = !view.connection.testDriver;
    banner.textContent = view.connection.note || '';
    const problem = document.getElementById('problem-banner');
    problem.hidden = !view.problem;
    problem.textContent = view.problem ? 'Could not read the host or its guests: ' + view.problem
      + ' (showing the last picture that could be read).' : '';
    const summary = document.getElementById('summary');
    summary.replaceChildren();
    const ports = view.cards.reduce((n, c) => n + c.ports.length, 0);
    const vfs = [];
    view.cards.forEach(c => c.ports.forEach(p => { if (p.sriov) vfs.push.apply(vfs, p.sriov.vfs); }));
    const running = view.domains.filter(isActive).length;
    html('span', { class: 'pill' }, summary, view.cards.length + ' cards \u00b7 ' + ports + ' ports');
    const created = vfs.filter(v => v.exists);
    if (vfs.length) {
      html('span', { class: 'pill' }, summary, vfs.filter(v => v.heldBy).length + ' of ' + created.length + ' VFs in use'
        + (vfs.length > created.length ? ' \u00b7 ' + (vfs.length - created.length) + ' more can be created' : ''));
    }
    html('span', { class: 'pill' }, summary, view.domains.length + ' guests \u00b7 ' + running + ' running');
    html('span', { class: 'pill ' + (view.iommu.enabled ? 'ok' : 'bad') }, summary, view.iommu.enabled ? 'device assignment possible' : 'virtio only: no IOMMU');
    document.getElementById('updated').textContent = ' \u00b7 generation ' + view.generation + ', ' + new Date(view.updatedAt).toLocaleTimeString();
  }

  function renderNicTable(view) {
    const target = document.getElementById('nic-table');
    target.replaceChildren();
    const rows = [];
    view.domains.forEach(d => d.nics.forEach(n => rows.push([d, n])));
    if (rows.length === 0) {
      html('p', { class: 'muted' }, target, 'No guest NIC yet.');
      return;
    }
    const table = html('table', { class: 'nics' }, target);
    const head = html('tr', {}, html('thead', {}, table));
    ['Guest', 'NIC', 'Technology', 'Device', 'MAC', 'Why this technology', 'The other verdicts'].forEach(t => html('th', {}, head, t));
    const body = html('tbody', {}, table);
    for (const [domain, nic] of rows) {
      const tr = html('tr', { 'data-domain': domain.name, 'data-nic': nic.index }, body);
      const who = html('td', {}, tr);
      html('span', { class: 'dot', style: 'background:' + colourOf(domain.name) }, who);
      html('strong', {}, who, domain.name);
      html('div', { class: 'muted' }, who, domain.state);
      if (nic.index === domain.nics[0].index) {
        for (const problem of (domain.cannotStart || [])) {
          html('div', { class: 'cannot-start', 'data-role': 'cannot-start' }, who, 'cannot start: ' + problem);
        }
      }
      if (actionsEnabled && isActive(domain) && nic.index === domain.nics[0].index) {
        const stop = html('button', { class: 'stop', type: 'button' }, who, 'Stop');
        stop.addEventListener('click', () => act('/api/domains/' + encodeURIComponent(domain.name) + '/stop', null));
      }
      html('td', { class: 'mono-text' }, tr, 'nic' + nic.index);
      html('span', { class: 'tech-chip ' + nic.technology }, html('td', {}, tr), nic.technology);
      html('td', { class: 'mono-text' }, tr, nic.technology === 'virtio' ? (nic.attachment || '') : nic.devices.join(', '));
      html('td', { class: 'mono-text' }, tr, nic.mac || '');
      html('td', {}, tr, nic.reason || 'not recorded (no nio-virt plan in this domain\'s metadata)');
      const verdicts = html('ul', { class: 'verdicts' }, html('td', {}, tr));
      for (const v of (nic.verdicts || []).filter(v => v.outcome !== 'chosen')) {
        const li = html('li', {}, verdicts);
        html('span', { class: 'verdict-outcome ' + v.outcome }, li, v.outcome);
        html('strong', {}, li, v.technology + ': ');
        li.appendChild(document.createTextNode(v.reason));
      }
    }
  }

  function renderGroups(view) {
    const target = document.getElementById('iommu-groups');
    target.replaceChildren();
    if (view.iommu.groups.length === 0) {
      html('p', { class: 'muted' }, target, view.iommu.enabled ? 'No group holds a network function.' : 'The IOMMU is not enabled, so the kernel made no groups.');
      return;
    }
    for (const group of view.iommu.groups) {
      const box = html('div', { class: 'group' + (group.viable ? ' viable' : ''), 'data-group': group.id }, target);
      const h = html('h3', {}, box, 'group ' + group.id);
      html('span', { class: 'pill ' + (group.viable ? 'ok' : 'neutral'), title: group.viable
        ? 'Every member is unbound, on vfio-pci or a bridge'
        : 'Host drivers hold members now; libvirt detaches managed devices when a guest starts' }, h,
        group.viable ? 'on vfio' : 'host drivers');
      const list = html('ul', {}, box);
      for (const m of group.members) {
        const text = m.address + ' ' + (m.bridge ? 'bridge' : (m.driver || 'unbound')) + (m.netdevs.length ? ' (' + m.netdevs.join(', ') + ')' : '') + (m.heldBy ? ' \u2192 ' + m.heldBy : '');
        html('li', { class: 'mono-text' }, list, text);
      }
    }
  }

  function renderDiagnostics(view) {
    const panel = document.getElementById('diagnostics-panel');
    const list = document.getElementById('diagnostics');
    list.replaceChildren();
    panel.hidden = view.diagnostics.length === 0;
    view.diagnostics.forEach(d => html('li', {}, list, d.subject + ': ' + d.message));
  }

  // Host changes that would give a new one-NIC guest a better technology, each proven by re-planning.
  function renderAdvice(view) {
    const panel = document.getElementById('advice-panel');
    const list = document.getElementById('advice');
    list.replaceChildren();
    const guest = view.newGuest;
    panel.hidden = !guest || guest.advice.length === 0;
    if (panel.hidden) return;
    document.getElementById('advice-lead').textContent =
      'a new guest\'s NIC gets ' + guest.chosen + ' on this host today';
    for (const a of guest.advice) {
      const item = html('li', {}, list, a.unlocks + ' instead of ' + a.from + ' (' + a.proof + '):');
      const changes = html('ul', {}, item);
      for (const r of a.remedies) {
        const needs = [r.reboot ? 'reboot' : null, r.firmware ? 'firmware setting' : null].filter(Boolean);
        html('li', {}, changes, r.change + ': ' + r.how + (needs.length ? ' [' + needs.join(', ') + ']' : '')
          + (r.risk ? ' Risk: ' + r.risk : ''));
      }
    }
  }

  function render(view) {
    actionsEnabled = view.actions.enabled;
    assignColours(view.domains);
    document.getElementById('actions-panel').hidden = !actionsEnabled;
    renderHeader(view);
    draw(view);
    renderNicTable(view);
    renderGroups(view);
    renderAdvice(view);
    renderDiagnostics(view);
    document.body.setAttribute('data-generation', view.generation);
  }

  // ---------- actions (only when the server enables them) ----------

  function act(path, body) {
    const result = document.getElementById('action-result');
    const token = document.getElementById('token').value;
    result.className = 'action-result';
    result.textContent = 'working\u2026';
    fetch(path + hostQuery, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token },
      body: body ? JSON.stringify(body) : '{}',
    }).then(r => r.json().then(j => ({ ok: r.ok, json: j }))).then(({ ok, json }) => {
      result.className = 'action-result' + (ok ? '' : ' error');
      result.textContent = ok ? json.message : json.error + (json.hint ? ' ' + json.hint : '');
    }).catch(e => {
      result.className = 'action-result error';
      result.textContent = String(e);
    });
  }

  document.getElementById('launch-form').addEventListener('submit', event => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { name: form.get('name'), nics: Number(form.get('nics')) };
    if (form.get('pin')) body.pin = form.get('pin');
    if (form.get('vlan')) body.vlan = Number(form.get('vlan'));
    act('/api/domains', body);
  });

  // ---------- live updates ----------

  let latest = null;
  function show(view) {
    if (latest && latest.generation > view.generation) return;
    latest = view;
    render(view);
  }

  function setLive(state, text) {
    const live = document.getElementById('live');
    live.className = 'live ' + state;
    live.querySelector('span').textContent = text;
  }

  // ---------- hosts (a fleet's dashboard shows one host at a time, chosen in a selector) ----------

  function renderHostSelect(hosts, chosen) {
    const label = html('label', { class: 'fact host-select' }, document.querySelector('.facts'), 'host ');
    const select = html('select', { id: 'host-select', 'aria-label': 'Host' }, label);
    hosts.forEach(h => {
      const option = html('option', { value: h.name }, select, h.name);
      option.title = h.uri;
      option.selected = h.name === chosen;
    });
    select.addEventListener('change', () => {
      location.search = '?host=' + encodeURIComponent(select.value);
    });
  }

  function startLive() {
    fetch('/api/view' + hostQuery).then(r => r.json()).then(show).catch(() => setLive('off', 'server unreachable'));
    const events = new EventSource('/api/events' + hostQuery);
    events.addEventListener('view', e => show(JSON.parse(e.data)));
    events.onopen = () => setLive('on', 'live');
    events.onerror = () => setLive('off', 'reconnecting');
  }

  fetch('/api/hosts').then(r => r.json()).then(hosts => {
    const wanted = new URLSearchParams(location.search).get('host');
    const chosen = hosts.some(h => h.name === wanted) ? wanted : hosts[0].name;
    if (chosen) hostQuery = '?host=' + encodeURIComponent(chosen);
    if (hosts.length > 1) renderHostSelect(hosts, chosen);
    startLive();
  }).catch(() => setLive('off', 'server unreachable'));
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (latest) draw(latest); }, 150);
  });
})();
