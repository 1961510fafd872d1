/** Names for runs created without one, in MLflow's style: "<adjective>-<animal>-<number>". */
import { randomInt } from 'node:crypto';

const ADJECTIVES = ['amber', 'bold', 'brisk', 'calm', 'clever', 'crisp', 'eager', 'gentle', 'keen', 'lucid', 'merry', 'nimble', 'quiet', 'rapid', 'sunny', 'tidy', 'vivid', 'wise'];
const ANIMALS = ['ant', 'bat', 'crane', 'deer', 'eel', 'finch', 'gecko', 'hare', 'ibis', 'koala', 'lynx', 'moth', 'newt', 'otter', 'panda', 'quail', 'robin', 'seal', 'trout', 'wren'];

export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}-${randomInt(1000)}`;
}
