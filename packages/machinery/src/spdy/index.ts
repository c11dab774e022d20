export { SpdyConnection, DEFAULT_WINDOW, type SpdyConnectionOptions } from './connection.js';
export { SpdyStream } from './stream.js';
export { encodeFrame, FrameParser, RstStatus, SpdyProtocolError, type Frame } from './frames.js';
export { encodeHeaderBlock, decodeHeaderBlock, HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './headers.js';
export { SPDY3_DICTIONARY } from './dictionary.js';
