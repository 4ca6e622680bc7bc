//! A speech model on 127.0.0.1 that speaks Workers AI's REST form for Whisper
//! (`POST /ai/run/<model>` with `{"audio": <base64>}`, answered as
//! `{"result": {"text", "segments": [{start, end, text}]}, "success": true}`)
//! and checks what it is sent: ffprobe must read it as audio (its container
//! and codec are recorded), ffmpeg decodes it, and where it falls in the test
//! webcast is found by matching its loudness against the spoken reference.
//! It "hears" the script's sentences whose middle falls in the audio it was
//! sent, at their times within it; audio it cannot decode is refused as a
//! model refuses it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::{json, Value};

use super::http::{serve, Answer};

/// Loudness is compared in frames of this many milliseconds.
const FRAME_MS: usize = 20;
/// Each sentence of the test webcast begins on a multiple of this.
pub const SENTENCE_EVERY_MS: u64 = 10_000;

/// What one request carried, as ffprobe and the matching saw it.
#[derive(Debug, Clone)]
pub struct Heard {
    pub model: String,
    pub container: String,
    pub codec: String,
    pub duration_ms: u64,
    /// Where in the webcast the audio was found to begin.
    pub found_at_ms: u64,
    pub sentences: Vec<String>,
}

struct Reference {
    envelope: Vec<f64>,
    /// (text, start ms, end ms) of each sentence in the webcast.
    sentences: Vec<(String, u64, u64)>,
}

#[derive(Clone)]
pub struct FakeSpeech {
    pub port: u16,
    reference: Arc<Mutex<Option<PathBuf>>>,
    heard: Arc<Mutex<Vec<Heard>>>,
    refused: Arc<Mutex<Vec<String>>>,
}

/// Mean loudness of each frame of a file, decoded by ffmpeg to 8 kHz mono
/// (its decoded length is the frames' count: ffprobe only estimates a raw
/// ADTS file's duration from its first frames' bit rate).
fn envelope(path: &Path) -> Result<Vec<f64>, String> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "s16le", "-ac", "1", "-ar", "8000", "-"])
        .output()
        .map_err(|e| format!("ffmpeg: {e}"))?;
    if !output.status.success() {
        return Err(format!("ffmpeg could not decode it: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let samples: Vec<i16> = output.stdout.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
    let per_frame = 8000 * FRAME_MS / 1000;
    Ok(samples
        .chunks(per_frame)
        .map(|frame| frame.iter().map(|s| f64::from(*s).abs()).sum::<f64>() / frame.len() as f64)
        .collect())
}

/// ffprobe's reading: (container, codec, duration in ms).
fn probe(path: &Path) -> Result<(String, String, u64), String> {
    let output = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=format_name,duration:stream=codec_name,codec_type",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .map_err(|e| format!("ffprobe: {e}"))?;
    let found: Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("ffprobe's answer: {e}"))?;
    let audio = found["streams"].as_array().into_iter().flatten().find(|s| s["codec_type"] == "audio");
    let Some(audio) = audio else { return Err("ffprobe found no audio".into()) };
    let duration = found["format"]["duration"].as_str().and_then(|d| d.parse::<f64>().ok()).unwrap_or(0.0);
    Ok((
        found["format"]["format_name"].as_str().unwrap_or_default().to_string(),
        audio["codec_name"].as_str().unwrap_or_default().to_string(),
        (duration * 1000.0).round() as u64,
    ))
}

impl Reference {
    fn load(dir: &Path) -> Result<Self, String> {
        let envelope = envelope(&dir.join("speech.wav"))?;
        let script = std::fs::read_to_string(dir.join("script.txt")).map_err(|e| e.to_string())?;
        let loud = envelope.iter().cloned().fold(0.0, f64::max) * 0.05;
        let frames = SENTENCE_EVERY_MS as usize / FRAME_MS;
        let sentences = script
            .lines()
            .enumerate()
            .map(|(i, text)| {
                let span = &envelope[(i * frames).min(envelope.len())..((i + 1) * frames).min(envelope.len())];
                let first = span.iter().position(|v| *v > loud).unwrap_or(0);
                let last = span.iter().rposition(|v| *v > loud).unwrap_or(first);
                let at = |frame: usize| ((i * frames + frame) * FRAME_MS) as u64;
                (text.to_string(), at(first), at(last + 1))
            })
            .collect();
        Ok(Self { envelope, sentences })
    }

    /// Where `heard` best matches the reference, in frames: the least mean
    /// difference of loudness over the frames both hold (the audio may run a
    /// few frames past the reference's end: the encoder pads it).
    fn locate(&self, heard: &[f64]) -> usize {
        let least_overlap = heard.len() * 9 / 10;
        let positions = self.envelope.len().saturating_sub(least_overlap) + 1;
        (0..positions)
            .min_by(|a, b| {
                let cost = |at: usize| {
                    let pairs = heard.iter().zip(&self.envelope[at..]);
                    let (sum, count) =
                        pairs.fold((0.0, 0usize), |(sum, count), (h, r)| (sum + (h - r).abs(), count + 1));
                    sum / count.max(1) as f64
                };
                cost(*a).total_cmp(&cost(*b))
            })
            .unwrap_or(0)
    }
}

impl FakeSpeech {
    pub fn start() -> Self {
        let reference: Arc<Mutex<Option<PathBuf>>> = Arc::default();
        let heard: Arc<Mutex<Vec<Heard>>> = Arc::default();
        let refused: Arc<Mutex<Vec<String>>> = Arc::default();
        let (reference_kept, heard_kept, refused_kept) =
            (Arc::clone(&reference), Arc::clone(&heard), Arc::clone(&refused));
        let port = serve(move |request| {
            let model = request.path.strip_prefix("/ai/run/").unwrap_or_default().to_string();
            let answer = hear(&model, &request.body, reference_kept.lock().unwrap().as_deref());
            match answer {
                Ok((heard, body)) => {
                    heard_kept.lock().unwrap().push(heard);
                    Answer::new(200, "application/json", body.to_string())
                }
                Err(why) => {
                    refused_kept.lock().unwrap().push(why.clone());
                    let body = json!({"success": false, "errors": [{"code": 5006, "message": why}], "result": null});
                    Answer::new(400, "application/json", body.to_string())
                }
            }
        });
        Self { port, reference, heard, refused }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The test webcast this model will hear (`make_webcast_media.sh`'s output).
    pub fn set_reference(&self, dir: &Path) {
        *self.reference.lock().unwrap() = Some(dir.to_path_buf());
    }

    pub fn heard(&self) -> Vec<Heard> {
        self.heard.lock().unwrap().clone()
    }

    pub fn refused(&self) -> Vec<String> {
        self.refused.lock().unwrap().clone()
    }
}

fn hear(model: &str, body: &[u8], reference: Option<&Path>) -> Result<(Heard, Value), String> {
    let input: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let audio = input["audio"].as_str().ok_or("audio must be base64 text")?;
    let bytes =
        base64::engine::general_purpose::STANDARD.decode(audio).map_err(|e| format!("audio is not base64: {e}"))?;
    let file = std::env::temp_dir().join(format!("fake-speech-{}-{}.bin", std::process::id(), rand_suffix(&bytes)));
    std::fs::write(&file, &bytes).map_err(|e| e.to_string())?;
    let probed = probe(&file);
    let heard_envelope = envelope(&file);
    let _ = std::fs::remove_file(&file);
    let (container, codec, _estimated) = probed?;
    let heard_envelope = heard_envelope?;
    let duration_ms = (heard_envelope.len() * FRAME_MS) as u64;
    let reference = Reference::load(reference.ok_or("no reference webcast set")?)?;
    let found_at_ms = (reference.locate(&heard_envelope) * FRAME_MS) as u64;
    let end_ms = found_at_ms + duration_ms;
    let spoken: Vec<&(String, u64, u64)> = reference
        .sentences
        .iter()
        .filter(|(_, start, end)| (start + end) / 2 >= found_at_ms && (start + end) / 2 < end_ms)
        .collect();
    let segments: Vec<Value> = spoken
        .iter()
        .map(|(text, start, end)| {
            let at = |ms: u64| ms.saturating_sub(found_at_ms) as f64 / 1000.0;
            json!({"start": at(*start), "end": at(*end), "text": format!(" {text}")})
        })
        .collect();
    let text: Vec<&str> = spoken.iter().map(|(t, _, _)| t.as_str()).collect();
    let heard = Heard {
        model: model.to_string(),
        container,
        codec,
        duration_ms,
        found_at_ms,
        sentences: text.iter().map(|t| t.to_string()).collect(),
    };
    let answer = json!({"result": {"text": text.join(" "), "segments": segments,
        "transcription_info": {"language": "en", "duration": duration_ms as f64 / 1000.0}}, "success": true, "errors": []});
    Ok((heard, answer))
}

fn rand_suffix(bytes: &[u8]) -> u64 {
    bytes.iter().take(4096).fold(1469598103934665603u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(1099511628211))
        ^ std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}
