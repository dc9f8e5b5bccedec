/** The training pipeline's public face: export, fine-tuners, durable runs. */
export * from './export/index.ts';
export * from './fine-tuners/index.ts';
export * from './orchestrator/index.ts';
