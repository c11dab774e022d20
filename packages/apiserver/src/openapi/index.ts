export {
  documentPath,
  openapiV3Document,
  openapiV3DocumentJson,
  openapiV3Index,
  openapiV3IndexJson,
} from './documents.js';
export {
  checkFields,
  decodeError,
  strictDecodingError,
  unknownFieldWarnings,
  validateFields,
  type FieldCheck,
  type FieldValidation,
} from './validate.js';
