/**
 * The subset of onnx.proto that Sluice writes, as protobufjs reflection JSON. Field names and
 * numbers are those of the official schema, github.com/onnx/onnx, file onnx/onnx.proto
 * (proto2, package onnx; numbers have been stable since IR version 3). Fields Sluice never sets
 * (segments, external data, sparse tensors, training info, quantization annotations, ...) are
 * left out: a decoder skips absent fields, so the subset writes valid ONNX.
 *
 * Kept as a TypeScript module rather than a .proto file so that the build (tsc, then one bundle)
 * carries it without copying assets, and so that protobufjs/light (no .proto parser) suffices.
 */
const repeated = 'repeated' as const;
const packed = { packed: true };

export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opset_import: { rule: repeated, type: 'OperatorSetIdProto', id: 8 },
            metadata_props: { rule: repeated, type: 'StringStringEntryProto', id: 14 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: repeated, type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: repeated, type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: repeated, type: 'ValueInfoProto', id: 11 },
            output: { rule: repeated, type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: repeated, type: 'string', id: 1 },
            output: { rule: repeated, type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            attribute: { rule: repeated, type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
            domain: { type: 'string', id: 7 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: repeated, type: 'float', id: 7, options: packed },
            ints: { rule: repeated, type: 'int64', id: 8, options: packed },
            strings: { rule: repeated, type: 'bytes', id: 9 },
            doc_string: { type: 'string', id: 13 },
            type: { type: 'int32', id: 20 }, // AttributeProto.AttributeType
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: repeated, type: 'int64', id: 1, options: packed },
            data_type: { type: 'int32', id: 2 }, // TensorProto.DataType
            float_data: { rule: repeated, type: 'float', id: 4, options: packed },
            int32_data: { rule: repeated, type: 'int32', id: 5, options: packed },
            string_data: { rule: repeated, type: 'bytes', id: 6 },
            int64_data: { rule: repeated, type: 'int64', id: 7, options: packed },
            name: { type: 'string', id: 8 },
            raw_data: { type: 'bytes', id: 9 },
            double_data: { rule: repeated, type: 'double', id: 10, options: packed },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            doc_string: { type: 'string', id: 3 },
          },
        },
        TypeProto: {
          fields: {
            tensor_type: { type: 'TypeProtoTensor', id: 1 },
          },
        },
        // TypeProto.Tensor in onnx.proto; a nested message's name is not on the wire.
        TypeProtoTensor: {
          fields: {
            elem_type: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: repeated, type: 'TensorShapeDimension', id: 1 },
          },
        },
        // TensorShapeProto.Dimension; dim_value and dim_param form a oneof: set one of them.
        TensorShapeDimension: {
          fields: {
            dim_value: { type: 'int64', id: 1 },
            dim_param: { type: 'string', id: 2 },
          },
        },
      },
    },
  },
};
