// AudioWorklet: the microphone's float samples, resampled to the target rate by linear
// interpolation, as 16-bit little-endian PCM frames of about 100 ms posted to the page.

class PcmWriter extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ratio = sampleRate / options.processorOptions.targetRate;
    this.frame = new Int16Array(Math.round(options.processorOptions.targetRate / 10));
    this.filled = 0;
    this.pos = 0;        // read position in the input, in input samples, carried between blocks
    this.last = 0;       // the previous block's last sample, for interpolation across blocks
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    while (this.pos < input.length) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i === 0 ? this.last : input[i - 1];
      const b = input[i];
      const s = Math.max(-1, Math.min(1, a + (b - a) * frac));
      this.frame[this.filled++] = s < 0 ? s * 0x8000 : s * 0x7fff;
      if (this.filled === this.frame.length) {
        this.port.postMessage(this.frame.buffer.slice(0));
        this.filled = 0;
      }
      this.pos += this.ratio;
    }
    this.pos -= input.length;
    this.last = input[input.length - 1];
    return true;
  }
}

registerProcessor("pcm-writer", PcmWriter);
