import type { DiffCase } from '../types.js';

export const cases: DiffCase[] = [
  { name: 'PING and ECHO', steps: [['PING'], ['PING', 'hello'], ['PING', 'a', 'b'], ['ECHO', 'x\x00\xffy'], ['ECHO']] },
  { name: 'unknown commands', steps: [['NOSUCH'], ['nosuch', 'a', 'b c', 'd\r\ne'], ['NOSUCH', 'x'.repeat(300)]] },
  {
    name: 'SELECT',
    steps: [
      ['SELECT', '1'],
      ['SELECT', '16'],
      ['SELECT', '-1'],
      ['SELECT', 'x'],
      ['SELECT', '01'],
    ],
  },
  {
    name: 'AUTH without password',
    steps: [
      ['AUTH', 'x'],
      ['AUTH', 'default', 'x'],
      ['AUTH', 'a', 'b', 'c'],
    ],
  },
  {
    name: 'HELLO',
    steps: [
      ['HELLO', '4'],
      ['HELLO', 'x'],
      ['HELLO', '2', 'SETNAME', 'bad name'],
      ['HELLO', '2', 'FOO'],
      { argv: ['HELLO', '2'], compare: 'shape' },
    ],
  },
  { name: 'RESET', steps: [['SELECT', '3'], ['RESET']] },
];
