//! A JSON answer serialised while it is sent, [`CHUNK`] bytes at a time (chunked transfer
//! encoding), for bodies of megabytes that would otherwise be held whole beside the value they
//! are written from.

use actix_web::{web, HttpResponse};
use serde::Serialize;

/// The bytes sent at a time.
const CHUNK: usize = 64 * 1024;

/// Answers `value` as JSON, serialised on a blocking thread a few chunks ahead of the client;
/// a client that goes away stops it. Once the whole text is written, `value` is dropped and
/// `written` is called with the body's size, before the last chunk is sent.
pub fn streamed<T>(value: T, written: impl FnOnce(u64) + Send + 'static) -> HttpResponse
where
    T: Serialize + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<std::io::Result<web::Bytes>>(4);
    tokio::task::spawn_blocking(move || {
        let mut out = std::io::BufWriter::with_capacity(CHUNK, Chunks { tx, sent: 0 });
        let done = serde_json::to_writer(&mut out, &value)
            .map_err(std::io::Error::from)
            .and_then(|()| {
                let bytes = out.get_ref().sent + out.buffer().len() as u64;
                drop(value);
                written(bytes);
                std::io::Write::flush(&mut out)
            });
        match done {
            Ok(()) => {}
            // The client went away: nothing to tell it.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                tracing::error!(error = %e, "a JSON answer could not be serialised");
                let _ = out.get_ref().tx.blocking_send(Err(e));
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    HttpResponse::Ok()
        .content_type("application/json")
        .streaming(body)
}

/// Where the text goes: a channel to the response body.
struct Chunks {
    tx: tokio::sync::mpsc::Sender<std::io::Result<web::Bytes>>,
    sent: u64,
}

impl std::io::Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tx
            .blocking_send(Ok(web::Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::ErrorKind::BrokenPipe)?;
        self.sent += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
