//! How the server's memory allocator is set up, and when it gives memory back.
//!
//! glibc's malloc gives each thread that meets contention an arena of its own (up to eight per
//! core) and keeps what a thread freed in its arena, and it raises its threshold for serving a
//! block from `mmap` to the largest block freed so far. For this server that meant a report
//! (megabytes of rows and of rendered file, built on whichever worker took the request) left
//! its memory behind in that worker's arena, and the next report on another worker took as
//! much again: the resident memory grew with every report until each arena held the largest
//! report's worth.
//!
//! So the server
//! - uses one arena per core (one per worker thread: fewer would make the workers wait for
//!   each other's allocations, which cost a quarter of the reads per second when measured);
//! - maps blocks of at least [`MMAP_THRESHOLD`] on their own, at a fixed threshold: a large
//!   buffer goes back to the system as soon as it is freed;
//! - gives the free memory of every arena back to the system ([`give_back_free_memory`]) once
//!   the workers are built and after each report.
//!
//! Measured on the province-scale database (a fresh server asked for the JSON, XLSX, DOCX and
//! JSON reports five times each), the peak resident memory fell from 164 to 92 MiB, with the
//! same report times and reads per second.
//!
//! glibc's own environment variables win: with `MALLOC_ARENA_MAX` or `MALLOC_MMAP_THRESHOLD_`
//! set, that setting is left as the variable says.

/// Blocks of at least this many bytes are mapped on their own and returned when freed.
pub const MMAP_THRESHOLD: usize = 1 << 20;

/// Sets up the allocator as described above; whether it took effect (only with glibc).
pub fn tune_allocator() -> bool {
    imp::tune()
}

/// Gives the memory the allocator holds free back to the system (glibc's `malloc_trim`), after
/// something large (a report) has been freed: the next report then starts from as little as
/// the first did, whichever thread builds it.
pub fn give_back_free_memory() {
    imp::trim()
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod imp {
    /// Sets `option` to `value` unless the environment variable `env` set it already.
    fn set(env: &str, option: libc::c_int, value: libc::c_int) -> bool {
        if std::env::var_os(env).is_some() {
            return true;
        }
        // SAFETY: `mallopt` only changes malloc's parameters; it is called with a valid option
        // and value, and it synchronises with concurrent allocations itself.
        unsafe { libc::mallopt(option, value) == 1 }
    }

    pub fn tune() -> bool {
        let threshold = super::MMAP_THRESHOLD as libc::c_int;
        // One per core, as the server has one worker thread per core.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
        set("MALLOC_ARENA_MAX", libc::M_ARENA_MAX, arenas)
            & set("MALLOC_MMAP_THRESHOLD_", libc::M_MMAP_THRESHOLD, threshold)
    }

    pub fn trim() {
        // SAFETY: `malloc_trim` only returns free memory to the system; it locks each arena
        // while it does.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod imp {
    pub fn tune() -> bool {
        false
    }

    pub fn trim() {}
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    #[test]
    fn glibc_takes_the_settings() {
        assert!(super::tune_allocator());
    }
}
