export { settleWithin, type Settled } from './settle-within';
