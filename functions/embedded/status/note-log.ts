/** A line for the live feed that is not a link transition (a simulated fault, a worker restart). */
export interface Note {
  at: number;
  text: string;
}

/** The last notes for the live feed (simulated faults, worker restarts), and their listeners. */
export class NoteLog {
  private readonly notes: Note[] = [];
  private readonly listeners = new Set<(note: Note) => void>();

  add(text: string): void {
    const note = { at: Date.now(), text };
    this.notes.push(note);
    if (this.notes.length > 100) this.notes.shift();
    for (const listener of this.listeners) listener(note);
  }

  list(): Note[] {
    return [...this.notes];
  }

  subscribe(listener: (note: Note) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
