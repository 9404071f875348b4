//! The event queue: a binary heap ordered by (time, sequence number), so that events scheduled for
//! the same instant run first-in first-out. Push and pop are O(log n).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::clock::Micros;

struct Entry<E> {
    time: Micros,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        // reversed: BinaryHeap is a max-heap, we want the earliest (time, seq) first
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// A min-priority queue of events keyed by virtual time, FIFO among equal times.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// Schedules `event` at `time`.
    pub fn push(&mut self, time: Micros, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { time, seq, event });
    }

    /// Takes a sequence number for an event kept outside the heap (so ties stay FIFO overall).
    pub fn alloc_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq - 1
    }

    /// (time, sequence) of the earliest event, if any.
    pub fn peek_key(&self) -> Option<(Micros, u64)> {
        self.heap.peek().map(|e| (e.time, e.seq))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<Micros> {
        self.heap.peek().map(|e| e.time)
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(Micros, E)> {
        self.heap.pop().map(|e| (e.time, e.event))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earlier_times_come_first_and_equal_times_are_fifo() {
        let mut q = EventQueue::default();
        q.push(20, "late");
        q.push(10, "first at 10");
        q.push(10, "second at 10");
        q.push(5, "earliest");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![
                (5, "earliest"),
                (10, "first at 10"),
                (10, "second at 10"),
                (20, "late")
            ]
        );
    }
}
