//! Argon2id password hashes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Argon2 needs a work area as large as its memory cost (19 MiB by default). The service keeps
/// [`AREAS`] of them for its whole life and lends one to each hash: a login allocates nothing
/// new, so the server's memory stays flat however many people sign in, and at most this many
/// hashes run at once (each uses a whole core). The second area is allocated only once two
/// hashes have run at the same time.
const AREAS: usize = 2;

static WORK_AREAS: [Mutex<Vec<Block>>; AREAS] = [const { Mutex::new(Vec::new()) }; AREAS];
static NEXT_AREA: AtomicUsize = AtomicUsize::new(0);

/// Runs Argon2 in a lent work area (blocks until one is free).
fn hash_into(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocks = argon.params().block_count();
    // The first free area, so that a second one is only ever allocated when two hashes run at
    // once; else wait for one in turn. A panic while hashing leaves only a work area behind,
    // which is overwritten anyway.
    let mut area = match WORK_AREAS.iter().find_map(|slot| match slot.try_lock() {
        Ok(area) => Some(area),
        Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
        Err(std::sync::TryLockError::WouldBlock) => None,
    }) {
        Some(area) => area,
        None => WORK_AREAS[NEXT_AREA.fetch_add(1, Ordering::Relaxed) % AREAS]
            .lock()
            .unwrap_or_else(|e| e.into_inner()),
    };
    if area.len() < blocks {
        area.resize(blocks, Block::default());
    }
    argon.hash_password_into_with_memory(password, salt, out, &mut area[..blocks])
}

/// An Argon2id hash of `password` in PHC string format, with the default parameters.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_buf)
        .map_err(|e| e.to_string())?;
    let len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let output = Output::init_with(len, |out| {
        hash_into(&argon, password.as_bytes(), salt_bytes, out)
            .map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    let check = || -> Option<bool> {
        let h = PasswordHash::new(hash).ok()?;
        let (salt, expected) = (h.salt?, h.hash?);
        let algorithm = Algorithm::try_from(h.algorithm).ok()?;
        let version = match h.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&h).ok()?;
        let argon = Argon2::new(algorithm, version, params);
        let mut salt_buf = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_buf).ok()?;
        let computed = Output::init_with(expected.len(), |out| {
            hash_into(&argon, password.as_bytes(), salt_bytes, out)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .ok()?;
        // `Output` compares in constant time.
        Some(computed == expected)
    };
    check().unwrap_or(false)
}

/// Spends the same time as a real check, for usernames that do not exist.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let h = DUMMY.get_or_init(|| hash("dummy password for timing").unwrap_or_default());
    let _ = verify(password, h);
}

/// A random password of 20 characters for a generated admin account.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("anything", "not a hash"));
        assert_eq!(generate().len(), 20);
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hasher_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash("correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(verify("correct horse battery", &theirs));
        assert!(!verify("correct horse batterY", &theirs));
    }

    #[test]
    fn checks_running_at_once_share_the_work_areas_and_all_answer_right() {
        let h = hash("correct horse battery").unwrap();
        let answers: Vec<bool> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|n| {
                    let h = &h;
                    s.spawn(move || {
                        let pw = if n % 2 == 0 {
                            "correct horse battery"
                        } else {
                            "wrong"
                        };
                        verify(pw, h)
                    })
                })
                .collect();
            handles.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(answers, vec![true, false, true, false, true, false]);
    }
}
