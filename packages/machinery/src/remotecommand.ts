// The remotecommand channel protocol of exec and attach (v5.channel.k8s.io, or v4): each binary
// WebSocket message starts with the byte of its channel. Shared by the kubelet's side and mini-kubectl's.

export const REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
/** The final Status of the command (its exit code), or an error. */
export const ERROR = 3;
/** Terminal size messages `{"Width":..,"Height":..}`. */
export const RESIZE = 4;
/** v5 only: `[255, channel]` says that stream is closed (the client's stdin is at EOF). */
export const CLOSE = 255;

/** One message of `channel` carrying `data`. */
export const channelFrame = (channel: number, data: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);
