export { validatePod } from './validate-pod.js';
export { validatePodUpdate, POD_UPDATE_FORBIDDEN_PREFIX } from './validate-pod-update.js';
export { LINUX_STOP_SIGNALS, WINDOWS_STOP_SIGNALS, stopSignalsFor } from './signals.js';
export {
  isCIdentifier,
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isHTTPHeaderName,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names.js';
export { podWarnings } from './pod-warnings.js';
