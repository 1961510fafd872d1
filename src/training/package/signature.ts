/**
 * A model's signature: the inputs model.onnx takes and the outputs it gives, with what a caller
 * needs to feed it correctly (types, shapes, how a missing value is written, known categories).
 * Stored as signature.json in a model package; the serving layer validates requests against it.
 */
import { z } from 'zod';

/** onnxruntime's tensor type names. */
export const TENSOR_TYPES = ['float32', 'float64', 'int64', 'string'] as const;
export type TensorType = (typeof TENSOR_TYPES)[number];

const dim = z.number().int().positive().nullable(); // null: any size (the batch dimension)

export const SignatureInputSchema = z.object({
  name: z.string().min(1),
  type: z.enum(TENSOR_TYPES),
  /** [null, 1]: one column, any number of rows. */
  shape: z.array(dim),
  /** Whether a missing value may be fed; `missing` says how it is written. */
  nullable: z.boolean(),
  /** How a missing value is written into the tensor: NaN for numbers, '' for strings. */
  missing: z.enum(['NaN', '']).optional(),
  /** String inputs: the categories seen in training. Others are accepted and treated as unseen. */
  categories: z.array(z.string()).optional(),
  description: z.string().optional(),
});

export const SignatureOutputSchema = z.object({
  name: z.string().min(1),
  type: z.enum(TENSOR_TYPES),
  shape: z.array(dim),
  /** What the output means: the predicted class, one probability per class, or a predicted value. */
  role: z.enum(['label', 'probabilities', 'value']),
  description: z.string().optional(),
});

export const SignatureSchema = z.object({
  format: z.literal('sluice-signature'),
  version: z.literal(1),
  task: z.enum(['binary', 'multiclass', 'regression']),
  /** Classification: class labels in the order of the probabilities' columns. */
  classes: z.array(z.string()).optional(),
  /** Binary: the class whose probability is the model's score. */
  positiveClass: z.string().optional(),
  inputs: z.array(SignatureInputSchema).min(1),
  outputs: z.array(SignatureOutputSchema).min(1),
});

export type SignatureInput = z.infer<typeof SignatureInputSchema>;
export type SignatureOutput = z.infer<typeof SignatureOutputSchema>;
export type ModelSignature = z.infer<typeof SignatureSchema>;
