// What the browser suite and bench-browser read and do inside the page: JupyterLab's state,
// the explorers' DOM, and timing. tests/browser/lab.py installs it in every page it drives as
// `window.gmmlabLab`, calling this function with {explorer: <CSS selector of an explorer>}.
(config) => {
  if (window.gmmlabLab) return;
  const EXPLORER = config.explorer;

  // The notebook panel JupyterLab (or Notebook 7) shows; expose_app_in_browser makes it visible.
  const panel = () => window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernelOf = (p) =>
    p && p.sessionContext && p.sessionContext.session && p.sessionContext.session.kernel;
  const explorerView = (e) => document.querySelectorAll(EXPLORER)[e];
  const figureOf = (view) => view.querySelector(':scope > img.widget-image');

  // The text of an explorer's readout, lines kept, whether or not the browser laid it out.
  const readout = (view) => {
    const html = view.querySelector(':scope > .widget-html .widget-html-content')
      || view.querySelector(':scope > .widget-html');
    if (!html) return '';
    const copy = html.cloneNode(true);
    copy.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
    copy.querySelectorAll('p, div, li').forEach((block) => block.append('\n'));
    return copy.textContent.replace(/\n+$/, '');
  };

  // A slider's value as the page shows it: the readout, and the handle's ARIA values
  // (aria-valuenow alone is rounded to one decimal by noUiSlider).
  const sliderValue = (slider) => {
    const handle = slider.querySelector('.noUi-handle');
    const shown = slider.querySelector('.widget-readout');
    return [shown ? shown.textContent : '', handle.getAttribute('aria-valuetext'),
      handle.getAttribute('aria-valuenow')].join(' | ');
  };

  const lab = {
    kernelStatus() {
      const kernel = kernelOf(panel());
      return kernel ? kernel.status : null;
    },

    // The shell messages the page has sent to the shown notebook's kernel (a slider's new
    // value is one) whose handling the kernel has not yet finished: ipykernel publishes the
    // status 'idle', with the message as parent, once it has handled one. Counted from the
    // first call of track() on that kernel.
    track() {
      const kernel = kernelOf(panel());
      if (!kernel) return false;
      if (!kernel.gmmlabPending) {
        const pending = kernel.gmmlabPending = new Set();
        kernel.anyMessage.connect((_, {msg, direction}) => {
          if (direction === 'send' && msg.channel === 'shell') {
            pending.add(msg.header.msg_id);
          } else if (direction === 'recv' && msg.channel === 'iopub'
              && msg.header.msg_type === 'status' && msg.content.execution_state === 'idle'
              && msg.parent_header) {
            pending.delete(msg.parent_header.msg_id);
          }
        });
      }
      return true;
    },

    // The kernel has finished everything the page asked of it, and is idle.
    settled() {
      const kernel = kernelOf(panel());
      return !!kernel && !!kernel.gmmlabPending && kernel.gmmlabPending.size === 0
        && kernel.status === 'idle';
    },

    // Resolves once the kernel has handled every message the page sent it and every
    // explorer has finished the frames asked of it: first the page's own messages (a value
    // ipywidgets held back while the kernel was busy is sent when the kernel answers the one
    // before: wait until none is outstanding), then `code`, run silently in the kernel (no
    // execution count, no output), which waits for the explorers' background frames. The
    // kernel handles shell messages in order, and publishes a frame before that wait ends,
    // so once the answer to `code` is in, every frame is in the page. Then once more, in case
    // the page sent a held-back value meanwhile. Returns the status of `code`'s reply.
    async quiesce(code) {
      const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
      let status = 'unsettled';
      for (let round = 0; round < 50; round++) {
        while (!lab.settled()) await tick();
        const kernel = kernelOf(panel());
        const reply = await kernel.requestExecute(
          {code, silent: true, store_history: false, stop_on_error: false}).done;
        status = reply.content.status;
        await tick();
        if (lab.settled()) return status;
      }
      return status;
    },

    // Done running: the kernel is idle, no prompt shows [*], and every code cell has run (or
    // one failed: JupyterLab then drops the cells queued after it). Empty code cells are never
    // sent to the kernel and keep no execution count: not counted. `busy` lists the cells (by
    // index) that still show [*]. With `limit`, only the cells before index `limit` count.
    runState(limit) {
      const p = panel();
      const kernel = kernelOf(p);
      const busy = [];
      p.content.widgets.forEach((cell, i) => {
        const prompt = cell.node.querySelector('.jp-InputPrompt');
        if (prompt && prompt.textContent.includes('*')) busy.push(i);
      });
      const cells = p.content.model.cells;
      let code = 0;
      let ran = 0;
      let errors = 0;
      const end = limit === undefined || limit === null ? cells.length : Math.min(limit, cells.length);
      for (let i = 0; i < end; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code' || !cell.sharedModel.getSource().trim()) continue;
        code += 1;
        if (cell.executionCount !== null && cell.executionCount !== undefined) ran += 1;
        errors += cell.outputs.toJSON().filter((o) => o.output_type === 'error').length;
      }
      return {status: kernel ? kernel.status : null, busy, code, ran, errors};
    },

    // Open a notebook as a tab of this JupyterLab, as its file browser does, after closing
    // every tab of the main area and shutting down the kernels of the notebooks among them
    // (their outputs are dropped, never saved).
    async openTab(path) {
      const app = window.jupyterapp;
      for (const widget of [...app.shell.widgets('main')]) {
        if (widget.sessionContext) {
          try {
            await widget.sessionContext.shutdown();
          } catch (err) {
            // already gone: the server's kernels are shut down after each test anyway
          }
          if (widget.context && widget.context.model) widget.context.model.dirty = false;
        }
        widget.dispose();
      }
      await app.commands.execute('docmanager:open',
        {path, factory: 'Notebook', kernel: {name: 'python3'}});
      return true;
    },

    // The tab `path` is shown, its notebook loaded, its kernel idle.
    tabReady(path) {
      const p = panel();
      return !!p && !!p.context && p.context.path === path && p.context.isReady
        && lab.kernelStatus() === 'idle';
    },

    runFinished(limit) {
      const s = lab.runState(limit);
      return s.status === 'idle' && s.busy.length === 0 && (s.ran === s.code || s.errors > 0);
    },

    // Run the cells before index `limit` (JupyterLab's "Run All Above Selected Cell").
    runAbove(limit) {
      const p = panel();
      p.content.activeCellIndex = limit;
      void window.jupyterapp.commands.execute('notebook:run-all-above');
    },

    errors() {
      const cells = panel().content.model.cells;
      const found = [];
      for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        for (const o of cell.outputs.toJSON()) {
          if (o.output_type === 'error') {
            found.push({cell: i, ename: o.ename, evalue: o.evalue,
              traceback: (o.traceback || []).join('\n')});
          }
        }
      }
      return found;
    },

    // Per cell (by index among all cells): the explorers and other widgets in its output.
    rendered() {
      const found = [];
      panel().content.widgets.forEach((cell, i) => {
        const out = cell.node.querySelector('.jp-OutputArea');
        if (!out) return;
        for (const view of out.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets')) {
          const explorer = view.matches(EXPLORER);
          const images = explorer ? [...view.querySelectorAll(':scope > img.widget-image')] : [];
          found.push({
            cell: i,
            explorer,
            sliders: explorer ? view.querySelectorAll('.widget-slider').length : 0,
            labels: explorer
              ? [...view.querySelectorAll('.widget-slider .widget-label')]
                .map((label) => label.textContent) : [],
            handles: explorer ? view.querySelectorAll('.widget-slider .noUi-handle').length : 0,
            images: images.length,
            readouts: explorer ? view.querySelectorAll(':scope > .widget-html').length : 0,
            loaded: images.every((img) => img.complete && img.naturalWidth > 0),
            // rendered pixels per displayed pixel, and the displayed width
            pixelRatio: images.length && images[0].clientWidth
              ? images[0].naturalWidth / images[0].clientWidth : null,
            cssWidth: images.length ? images[0].clientWidth : null,
          });
        }
      });
      return found;
    },

    rendersAtLeast([n, m]) {
      const found = lab.rendered();
      return found.length >= n && found.filter((w) => w.explorer && w.loaded).length >= m;
    },

    // The state of explorer number `e` (in page order): its figure, readout and slider values.
    explorer(e) {
      const view = explorerView(e);
      const img = figureOf(view);
      const sliders = [...view.querySelectorAll('.widget-slider')].map((s) => {
        const h = s.querySelector('.noUi-handle');
        return {label: s.querySelector('.widget-label').textContent,
          now: h.getAttribute('aria-valuenow'), min: h.getAttribute('aria-valuemin'),
          max: h.getAttribute('aria-valuemax'),
          readout: (s.querySelector('.widget-readout') || {}).textContent,
          value: sliderValue(s)};
      });
      return {src: img.getAttribute('src'), text: readout(view),
        loaded: img.complete && img.naturalWidth > 0, sliders};
    },

    // A digest of the figure's PNG bytes (the blob the Image widget displays).
    async digest(e) {
      const img = figureOf(explorerView(e));
      for (let attempt = 0; attempt < 5; attempt++) {
        const src = img.getAttribute('src');
        try {
          const bytes = await (await fetch(src)).arrayBuffer();
          const hash = await crypto.subtle.digest('SHA-256', bytes);
          return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
        } catch (err) {
          // the blob was revoked by a newer figure between reading src and fetching it
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      return null;
    },

    srcChanged([e, before]) {
      const img = figureOf(explorerView(e));
      return img.getAttribute('src') !== before && img.complete && img.naturalWidth > 0;
    },

    valueChanged([e, j, before]) {
      return sliderValue(explorerView(e).querySelectorAll('.widget-slider')[j]) !== before;
    },

    textChanged([e, before]) {
      return readout(explorerView(e)) !== before;
    },

    // bench-browser: time from a key press on a slider to the new figure painted.
    instrumentKeyPresses() {
      const state = lab.keys = {pressed: null, samples: []};
      document.addEventListener('keydown', (event) => {
        if (event.target.classList && event.target.classList.contains('noUi-handle')) {
          state.pressed = event.timeStamp;
        }
      }, true);
      document.querySelectorAll(EXPLORER).forEach((view, e) => {
        const img = figureOf(view);
        new MutationObserver(() => {
          if (state.pressed === null) return;
          const start = state.pressed;
          state.pressed = null; // the first new figure after the key press
          const painted = () => requestAnimationFrame(
            () => state.samples.push({explorer: e, ms: performance.now() - start}));
          if (img.complete && img.naturalWidth > 0) painted();
          else img.addEventListener('load', painted, {once: true});
        }).observe(img, {attributes: true, attributeFilter: ['src']});
      });
    },

    // bench-browser: how many figures explorer `e` has shown since count_figures(e) began.
    countFigures(e) {
      lab.figures = lab.figures || {};
      const img = figureOf(explorerView(e));
      if (!(e in lab.figures)) {
        new MutationObserver(() => { lab.figures[e] += 1; })
          .observe(img, {attributes: true, attributeFilter: ['src']});
      }
      lab.figures[e] = 0;
    },
  };
  window.gmmlabLab = lab;
}
