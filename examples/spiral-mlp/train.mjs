#!/usr/bin/env node
/* global process, console, performance -- a Node script (eslint runs without Node globals) */
/**
 * A real training run as a prednas evaluation: an MLP whose depth, width, activation, learning
 * rate, batch size and epochs come from the architecture, trained on two interleaved spirals
 * (generated, seeded: nothing to download), on TensorFlow.js's WebAssembly backend (one CPU core).
 *
 * The protocol of `prednas search --evaluate`: the architecture arrives as one JSON line on
 * standard input ({"key", "arch", "seed", "runDir"}); everything printed goes to the evaluation's
 * log, and the last line is the result: {"value": validation accuracy, ...other metrics}.
 *
 * tfjs-core's Node build registers no gradients, so the backward pass is written out (an MLP's is
 * short) and Adam applies it.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));
const { depth, width, activation, learningRate, batchSize, epochs } = input.arch;
const started = performance.now();
tf.env().set("PROD", true);
await tf.setBackend("wasm");

/** A small seeded generator (mulberry32): the data and the shuffles are the same for every run of a seed. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Two spirals of `n` points each, with noise: class 0 and class 1 wind around each other three times. */
function spirals(n, random) {
  const points = [];
  const labels = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < n; i++) {
      const t = (i / n) * 3 * Math.PI + 0.3;
      const r = t / (3 * Math.PI);
      const angle = t + c * Math.PI;
      points.push(r * Math.cos(angle) + (random() - 0.5) * 0.08, r * Math.sin(angle) + (random() - 0.5) * 0.08);
      labels.push(c);
    }
  }
  return { x: tf.tensor2d(points, [2 * n, 2]), y: tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), 2), "float32"), count: 2 * n };
}

// The data is fixed (seed 0) for every architecture; the training's own randomness follows the evaluation's seed.
const dataRandom = generator(0);
const train = spirals(300, dataRandom);
const validation = spirals(200, dataRandom);
const random = generator(input.seed);

const act = {
  relu: { forward: (z) => tf.relu(z), slope: (z) => tf.step(z) },
  tanh: { forward: (z) => tf.tanh(z), slope: (_z, h) => tf.sub(1, tf.square(h)) },
  sigmoid: { forward: (z) => tf.sigmoid(z), slope: (_z, h) => tf.mul(h, tf.sub(1, h)) },
}[activation];
if (act === undefined) throw new Error(`unknown activation ${activation}`);

// He/Glorot-style initialisation, seeded.
const sizes = [2, ...Array(depth).fill(width), 2];
const layers = sizes.slice(1).map((out, l) => ({
  w: tf.variable(tf.randomNormal([sizes[l], out], 0, Math.sqrt(2 / (sizes[l] + out)), "float32", Math.floor(random() * 2 ** 31)), true, `w${l}`),
  b: tf.variable(tf.zeros([out]), true, `b${l}`),
}));
const parameters = layers.reduce((sum, { w, b }) => sum + w.size + b.size, 0);

/** Logits, and the pre- and post-activations of every hidden layer (for the backward pass). */
function forward(x) {
  const cache = [];
  let h = x;
  layers.forEach(({ w, b }, l) => {
    const z = tf.add(tf.matMul(h, w), b);
    if (l === layers.length - 1) {
      cache.push({ input: h, z });
      h = z;
    } else {
      const next = act.forward(z);
      cache.push({ input: h, z, h: next });
      h = next;
    }
  });
  return { logits: h, cache };
}

function evaluate({ x, y }) {
  return tf.tidy(() => {
    const { logits } = forward(x);
    const loss = tf.losses.softmaxCrossEntropy(y, logits).dataSync()[0];
    const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)), "float32")).dataSync()[0];
    return { loss, accuracy };
  });
}

const optimizer = tf.train.adam(learningRate);
const order = Array.from({ length: train.count }, (_, i) => i);
for (let epoch = 1; epoch <= epochs; epoch++) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let start = 0; start < order.length; start += batchSize) {
    const gradients = tf.tidy(() => {
      const indices = tf.tensor1d(order.slice(start, start + batchSize), "int32");
      const x = tf.gather(train.x, indices);
      const y = tf.gather(train.y, indices);
      const { logits, cache } = forward(x);
      // Softmax cross-entropy's gradient, then back through the layers.
      let delta = tf.div(tf.sub(tf.softmax(logits), y), x.shape[0]);
      const grads = {};
      for (let l = layers.length - 1; l >= 0; l--) {
        const { input: h, z, h: out } = cache[l];
        if (l < layers.length - 1) delta = tf.mul(delta, act.slope(z, out));
        grads[`w${l}`] = tf.matMul(h, delta, true, false);
        grads[`b${l}`] = tf.sum(delta, 0);
        if (l > 0) delta = tf.matMul(delta, layers[l].w, false, true);
      }
      return grads;
    });
    optimizer.applyGradients(gradients);
    tf.dispose(Object.values(gradients));
  }
  if (epoch % 10 === 0 || epoch === epochs) {
    const { loss, accuracy } = evaluate(validation);
    console.log(`epoch ${epoch}/${epochs}: validation loss ${loss.toFixed(4)}, accuracy ${accuracy.toFixed(4)}`);
  }
}
const { loss, accuracy } = evaluate(validation);
const trainAccuracy = evaluate(train).accuracy;
const round = (x, digits = 4) => Number(x.toFixed(digits));
console.log(JSON.stringify({ value: round(accuracy), validationLoss: round(loss), trainAccuracy: round(trainAccuracy), parameters, seconds: round((performance.now() - started) / 1000, 2) }));
