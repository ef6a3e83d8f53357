import { installOutputCapture } from './log-capture';

// vitest `setupFiles` entry: runs in every test process before its test file.
installOutputCapture();
