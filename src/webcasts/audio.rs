//! A webcast's sound, for speech-to-text where there are no captions (pure):
//! the AAC track of an MP4 file found from its `moov` box (read with ranged
//! requests, without the video), cut at frame boundaries into chunks of
//! about ten minutes, each written as ADTS (the AAC frames as they are, each
//! behind a 7-byte header: nothing is decoded), and a speech model's timed
//! segments joined back into one transcript.

use serde::{Deserialize, Serialize};

use super::Cue;

/// Why a file's sound cannot be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioError {
    NotMp4(String),
    NoAudioTrack,
    /// An audio track, but not AAC that ADTS can carry.
    Unsupported(String),
    Truncated(&'static str),
}

impl std::fmt::Display for AudioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AudioError::NotMp4(why) => write!(f, "not an MP4 file: {why}"),
            AudioError::NoAudioTrack => f.write_str("the MP4 file has no audio track"),
            AudioError::Unsupported(what) => write!(f, "the audio is {what}, which cannot be copied out as ADTS"),
            AudioError::Truncated(what) => write!(f, "the MP4 file's {what} is cut short"),
        }
    }
}

/// A box's header: its whole size (`None`: to the end of the file), its type,
/// and the header's length.
pub fn box_header(bytes: &[u8]) -> Option<(Option<u64>, [u8; 4], usize)> {
    let size = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?);
    let kind: [u8; 4] = bytes.get(4..8)?.try_into().ok()?;
    match size {
        0 => Some((None, kind, 8)),
        1 => Some((Some(u64::from_be_bytes(bytes.get(8..16)?.try_into().ok()?)), kind, 16)),
        n => Some((Some(u64::from(n)), kind, 8)),
    }
}

/// A box: its type and body.
type Mp4Box<'a> = ([u8; 4], &'a [u8]);

/// The boxes directly inside `bytes`.
fn children(bytes: &[u8]) -> Result<Vec<Mp4Box<'_>>, AudioError> {
    let mut out = Vec::new();
    let mut at = 0usize;
    while at + 8 <= bytes.len() {
        let (size, kind, header) = box_header(&bytes[at..]).ok_or(AudioError::Truncated("box header"))?;
        let size = size.map_or(bytes.len() - at, |s| s as usize);
        if size < header || at + size > bytes.len() {
            return Err(AudioError::Truncated("box"));
        }
        out.push((kind, &bytes[at + header..at + size]));
        at += size;
    }
    Ok(out)
}

fn child<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, AudioError> {
    Ok(children(bytes)?.into_iter().find(|(k, _)| k == kind).map(|(_, body)| body))
}

fn be32(bytes: &[u8], at: usize) -> Result<u32, AudioError> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_be_bytes(b.try_into().expect("four bytes")))
        .ok_or(AudioError::Truncated("table"))
}

fn be64(bytes: &[u8], at: usize) -> Result<u64, AudioError> {
    bytes
        .get(at..at + 8)
        .map(|b| u64::from_be_bytes(b.try_into().expect("eight bytes")))
        .ok_or(AudioError::Truncated("table"))
}

/// What ADTS needs of the track's AudioSpecificConfig.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AacConfig {
    /// MPEG-4 audio object type (2: AAC LC).
    pub object_type: u8,
    pub frequency_index: u8,
    pub channels: u8,
}

/// One AAC frame of the file: where it is, and when it plays (in the track's timescale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub offset: u64,
    pub size: u32,
    pub start: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioTrack {
    pub timescale: u32,
    pub config: AacConfig,
    pub samples: Vec<Sample>,
    /// The track's length in its timescale.
    pub duration: u64,
}

/// The AAC track of a `moov` box's body.
pub fn audio_track(moov: &[u8]) -> Result<AudioTrack, AudioError> {
    for (kind, trak) in children(moov)? {
        if &kind != b"trak" {
            continue;
        }
        let Some(mdia) = child(trak, b"mdia")? else { continue };
        let Some(hdlr) = child(mdia, b"hdlr")? else { continue };
        if hdlr.get(8..12) != Some(b"soun") {
            continue;
        }
        let mdhd = child(mdia, b"mdhd")?.ok_or(AudioError::Truncated("mdhd"))?;
        let timescale = match mdhd.first() {
            Some(1) => be32(mdhd, 20)?,
            _ => be32(mdhd, 12)?,
        };
        if timescale == 0 {
            return Err(AudioError::NotMp4("a timescale of 0".into()));
        }
        let stbl = child(mdia, b"minf")?
            .map(|minf| child(minf, b"stbl"))
            .transpose()?
            .flatten()
            .ok_or(AudioError::Truncated("sample table"))?;
        let config = aac_config(child(stbl, b"stsd")?.ok_or(AudioError::Truncated("stsd"))?)?;
        let samples = sample_table(stbl)?;
        let duration = samples_end(stbl, &samples)?;
        return Ok(AudioTrack { timescale, config, samples, duration });
    }
    Err(AudioError::NoAudioTrack)
}

/// The first sample description: `mp4a`, its `esds`, the AudioSpecificConfig.
fn aac_config(stsd: &[u8]) -> Result<AacConfig, AudioError> {
    // Full box (4), entry count (4), then the first sample entry.
    let entry = stsd.get(8..).ok_or(AudioError::Truncated("stsd"))?;
    let (size, kind, header) = box_header(entry).ok_or(AudioError::Truncated("sample entry"))?;
    if &kind != b"mp4a" {
        return Err(AudioError::Unsupported(format!("{:?}", String::from_utf8_lossy(&kind))));
    }
    let end = size.map_or(entry.len(), |s| (s as usize).min(entry.len()));
    // An audio sample entry's fixed fields are 28 bytes; its boxes follow.
    let boxes = entry.get(header + 28..end).ok_or(AudioError::Truncated("mp4a"))?;
    let esds = child(boxes, b"esds")?.ok_or(AudioError::Unsupported("MPEG-4 audio without an esds".into()))?;
    let specific = decoder_specific_info(esds.get(4..).unwrap_or_default())
        .ok_or(AudioError::Unsupported("MPEG-4 audio without a decoder config".into()))?;
    if specific.len() < 2 {
        return Err(AudioError::Truncated("AudioSpecificConfig"));
    }
    let object_type = specific[0] >> 3;
    let frequency_index = ((specific[0] & 0x07) << 1) | (specific[1] >> 7);
    let channels = (specific[1] >> 3) & 0x0f;
    // ADTS carries object types 1 to 4 in two bits; HE-AAC (5, 29) is played from its AAC LC core.
    let object_type = match object_type {
        1..=4 => object_type,
        5 | 29 => 2,
        other => return Err(AudioError::Unsupported(format!("MPEG-4 audio object type {other}"))),
    };
    if frequency_index > 12 || channels == 0 || channels > 7 {
        return Err(AudioError::Unsupported(format!("a frequency index {frequency_index} with {channels} channels")));
    }
    Ok(AacConfig { object_type, frequency_index, channels })
}

/// The DecoderSpecificInfo (tag 5) inside an ES descriptor (tag 3).
fn decoder_specific_info(descriptor: &[u8]) -> Option<&[u8]> {
    fn read(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let tag = *bytes.first()?;
        let mut length = 0usize;
        let mut at = 1;
        for _ in 0..4 {
            let byte = *bytes.get(at)?;
            at += 1;
            length = (length << 7) | usize::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                break;
            }
        }
        let body = bytes.get(at..at + length)?;
        Some((tag, body, &bytes[at + length..]))
    }
    let (tag, es, _) = read(descriptor)?;
    if tag != 3 {
        return None;
    }
    let flags = *es.get(2)?;
    let mut at = 3;
    if flags & 0x80 != 0 {
        at += 2;
    }
    if flags & 0x40 != 0 {
        at += 1 + usize::from(*es.get(at)?);
    }
    if flags & 0x20 != 0 {
        at += 2;
    }
    let (tag, config, _) = read(es.get(at..)?)?;
    if tag != 4 {
        return None;
    }
    let (tag, specific, _) = read(config.get(13..)?)?;
    (tag == 5).then_some(specific)
}

/// Every sample's place and start time, from the sizes, chunks and times tables.
fn sample_table(stbl: &[u8]) -> Result<Vec<Sample>, AudioError> {
    let stsz = child(stbl, b"stsz")?.ok_or(AudioError::Truncated("stsz"))?;
    let uniform = be32(stsz, 4)?;
    let count = be32(stsz, 8)? as usize;
    let size_of = |n: usize| if uniform != 0 { Ok(uniform) } else { be32(stsz, 12 + 4 * n) };
    let offsets: Vec<u64> = if let Some(stco) = child(stbl, b"stco")? {
        (0..be32(stco, 4)? as usize).map(|n| be32(stco, 8 + 4 * n).map(u64::from)).collect::<Result<_, _>>()?
    } else {
        let co64 = child(stbl, b"co64")?.ok_or(AudioError::Truncated("chunk offsets"))?;
        (0..be32(co64, 4)? as usize).map(|n| be64(co64, 8 + 8 * n)).collect::<Result<_, _>>()?
    };
    let stsc = child(stbl, b"stsc")?.ok_or(AudioError::Truncated("stsc"))?;
    let runs: Vec<(u32, u32)> = (0..be32(stsc, 4)? as usize)
        .map(|n| Ok((be32(stsc, 8 + 12 * n)?, be32(stsc, 12 + 12 * n)?)))
        .collect::<Result<_, _>>()?;
    let stts = child(stbl, b"stts")?.ok_or(AudioError::Truncated("stts"))?;
    let mut deltas = (0..be32(stts, 4)? as usize)
        .map(|n| Ok((be32(stts, 8 + 8 * n)?, be32(stts, 12 + 8 * n)?)))
        .collect::<Result<Vec<(u32, u32)>, AudioError>>()?
        .into_iter()
        .flat_map(|(count, delta)| std::iter::repeat_n(delta, count as usize));
    let mut samples = Vec::with_capacity(count);
    let mut start = 0u64;
    for (chunk, offset) in offsets.iter().enumerate() {
        let chunk_number = chunk as u32 + 1;
        let per_chunk = runs.iter().rev().find(|(first, _)| *first <= chunk_number).map_or(0, |(_, n)| *n);
        let mut at = *offset;
        for _ in 0..per_chunk {
            if samples.len() == count {
                break;
            }
            let size = size_of(samples.len())?;
            samples.push(Sample { offset: at, size, start });
            at += u64::from(size);
            start += u64::from(deltas.next().unwrap_or(0));
        }
    }
    if samples.len() != count {
        return Err(AudioError::Truncated("sample table"));
    }
    Ok(samples)
}

/// When the last sample ends (the sum of the time deltas).
fn samples_end(stbl: &[u8], samples: &[Sample]) -> Result<u64, AudioError> {
    let stts = child(stbl, b"stts")?.ok_or(AudioError::Truncated("stts"))?;
    let total: u64 = (0..be32(stts, 4)? as usize)
        .map(|n| Ok(u64::from(be32(stts, 8 + 8 * n)?) * u64::from(be32(stts, 12 + 8 * n)?)))
        .sum::<Result<u64, AudioError>>()?;
    Ok(total.max(samples.last().map_or(0, |s| s.start)))
}

/// One chunk of the sound to transcribe: its samples, when it plays, and the
/// byte ranges of the file that hold them (near ranges joined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkPlan {
    pub number: u32,
    pub start_ms: u64,
    pub end_ms: u64,
    pub config: AacConfig,
    pub samples: Vec<Sample>,
    /// Inclusive byte ranges to request.
    pub ranges: Vec<(u64, u64)>,
}

/// How a chunk's frames are requested: ranges closer than `join_gap` bytes
/// are read as one (the video between them read and dropped), and no range
/// is longer than `max_range` bytes.
#[derive(Debug, Clone, Copy)]
pub struct Ranges {
    pub join_gap: u64,
    pub max_range: u64,
}

impl Ranges {
    /// Adds a frame's bytes to a chunk's ranges.
    fn add(&self, ranges: &mut Vec<(u64, u64)>, (first, last): (u64, u64)) {
        match ranges.last_mut() {
            Some(range) if first <= range.1 + 1 + self.join_gap && last + 1 - range.0 <= self.max_range => {
                range.1 = range.1.max(last)
            }
            _ => ranges.push((first, last)),
        }
    }
}

/// Cuts a track into chunks of about `chunk_ms` at frame boundaries, each
/// with the byte ranges that hold its frames.
pub fn plan_chunks(track: &AudioTrack, chunk_ms: u64, requests: Ranges) -> Vec<ChunkPlan> {
    let ms = |units: u64| units * 1000 / u64::from(track.timescale);
    let mut plans: Vec<ChunkPlan> = Vec::new();
    for sample in &track.samples {
        let due = plans.last().is_none_or(|p| ms(sample.start) >= (u64::from(p.number) + 1) * chunk_ms);
        if due {
            if let Some(last) = plans.last_mut() {
                last.end_ms = ms(sample.start);
            }
            plans.push(ChunkPlan {
                number: plans.len() as u32,
                start_ms: ms(sample.start),
                end_ms: ms(sample.start),
                config: track.config,
                samples: Vec::new(),
                ranges: Vec::new(),
            });
        }
        let plan = plans.last_mut().expect("a chunk");
        let end = sample.offset + u64::from(sample.size.max(1)) - 1;
        requests.add(&mut plan.ranges, (sample.offset, end));
        plan.samples.push(*sample);
    }
    if let Some(last) = plans.last_mut() {
        last.end_ms = ms(track.duration);
    }
    // A remainder under a quarter of a chunk (the encoder's padding after
    // the last full chunk, say) is heard with the chunk before it.
    if plans.len() > 1 && plans.last().is_some_and(|p| p.end_ms - p.start_ms < chunk_ms / 4) {
        let tail = plans.pop().expect("a last chunk");
        let last = plans.last_mut().expect("a chunk before it");
        last.end_ms = tail.end_ms;
        for range in tail.ranges {
            requests.add(&mut last.ranges, range);
        }
        last.samples.extend(tail.samples);
    }
    plans
}

/// The 7-byte ADTS header of one AAC frame of `payload` bytes.
pub fn adts_header(config: &AacConfig, payload: usize) -> Option<[u8; 7]> {
    let length = payload + 7;
    if length > 0x1fff {
        return None;
    }
    let profile = config.object_type - 1;
    Some([
        0xff,
        0xf1,
        (profile << 6) | (config.frequency_index << 2) | (config.channels >> 2),
        ((config.channels & 3) << 6) | ((length >> 11) as u8 & 3),
        (length >> 3) as u8,
        (((length & 7) as u8) << 5) | 0x1f,
        0xfc,
    ])
}

/// A chunk as ADTS, from the bytes fetched for its ranges ((first byte, bytes) each).
pub fn adts_chunk(plan: &ChunkPlan, fetched: &[(u64, Vec<u8>)]) -> Result<Vec<u8>, AudioError> {
    let total: usize = plan.samples.iter().map(|s| s.size as usize + 7).sum();
    let mut out = Vec::with_capacity(total);
    for sample in &plan.samples {
        let (first, bytes) = fetched
            .iter()
            .find(|(first, bytes)| {
                sample.offset >= *first && sample.offset + u64::from(sample.size) <= first + bytes.len() as u64
            })
            .ok_or(AudioError::Truncated("media data"))?;
        let at = (sample.offset - first) as usize;
        let frame = &bytes[at..at + sample.size as usize];
        out.extend_from_slice(
            &adts_header(&plan.config, frame.len()).ok_or(AudioError::Unsupported("a frame over 8 KB".into()))?,
        );
        out.extend_from_slice(frame);
    }
    Ok(out)
}

/// The Workers AI speech models and their list prices, in US dollars an
/// audio minute (what a meeting's hearing costs is its length times this).
pub const SPEECH_MODELS: [(&str, f64); 2] =
    [("@cf/openai/whisper-large-v3-turbo", 0.000_51), ("@cf/deepgram/nova-3", 0.005_2)];

/// A speech model's segment, in seconds from the start of its chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpokenSegment {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

/// The segments of a Whisper answer on Workers AI (`segments`, or the
/// `result` of the REST API around them).
pub fn whisper_segments(answer: &serde_json::Value) -> Result<Vec<SpokenSegment>, String> {
    let body = if answer.get("result").is_some_and(|r| r.is_object()) { &answer["result"] } else { answer };
    let segments = body["segments"].as_array().ok_or("the speech model's answer has no segments")?;
    segments
        .iter()
        .map(|s| {
            serde_json::from_value::<SpokenSegment>(s.clone()).map_err(|e| format!("a segment that is not one: {e}"))
        })
        .collect()
}

/// Joins the chunks' segments into one transcript's cues: each chunk's times
/// are moved by its start; text is tidied of model padding.
pub fn join(chunks: &[(u64, Vec<SpokenSegment>)]) -> Vec<Cue> {
    let mut cues = Vec::new();
    for (start_ms, segments) in chunks {
        for segment in segments {
            let text = segment.text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() || !segment.start.is_finite() || !segment.end.is_finite() {
                continue;
            }
            let at = |seconds: f64| start_ms + (seconds.max(0.0) * 1000.0).round() as u64;
            cues.push(Cue {
                start_ms: at(segment.start),
                end_ms: at(segment.end.max(segment.start)),
                text,
                speaker: None,
            });
        }
    }
    cues.sort_by_key(|c| (c.start_ms, c.end_ms));
    cues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }

    fn full(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut with_flags = vec![0, 0, 0, 0];
        with_flags.extend_from_slice(body);
        boxed(kind, &with_flags)
    }

    fn words(values: &[u32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_be_bytes()).collect()
    }

    /// A moov with one AAC LC track, 44.1 kHz stereo, five frames of 1024
    /// samples in two chunks (3 + 2) at offsets 100 and 5000.
    fn moov() -> Vec<u8> {
        let hdlr = full(b"hdlr", &[0, 0, 0, 0, b's', b'o', b'u', b'n', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mdhd = full(b"mdhd", &words(&[0, 0, 44_100, 5 * 1024, 0]));
        // AudioSpecificConfig: object type 2, frequency index 4 (44.1 kHz), 2 channels.
        let specific = [0x12u8, 0x10];
        let mut decoder = vec![0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, specific.len() as u8];
        decoder.extend_from_slice(&specific);
        let mut es = vec![0, 1, 0, 0x04, decoder.len() as u8];
        es.extend_from_slice(&decoder);
        let mut descriptor = vec![0x03, 0x80, 0x80, es.len() as u8];
        descriptor.extend_from_slice(&es);
        let esds = full(b"esds", &descriptor);
        let mut mp4a_body = vec![0u8; 28];
        mp4a_body.extend_from_slice(&esds);
        let mp4a = boxed(b"mp4a", &mp4a_body);
        let mut stsd_body = words(&[1]);
        stsd_body.extend_from_slice(&mp4a);
        let stsd = full(b"stsd", &stsd_body);
        let stts = full(b"stts", &words(&[1, 5, 1024]));
        let stsz = full(b"stsz", &words(&[0, 5, 10, 11, 12, 13, 14]));
        let stsc = full(b"stsc", &words(&[2, 1, 3, 1, 2, 2, 1]));
        let stco = full(b"stco", &words(&[2, 100, 5000]));
        let stbl = boxed(b"stbl", &[stsd, stts, stsz, stsc, stco].concat());
        let minf = boxed(b"minf", &stbl);
        let mdia = boxed(b"mdia", &[mdhd, hdlr, minf].concat());
        let video_hdlr = full(b"hdlr", &[0, 0, 0, 0, b'v', b'i', b'd', b'e', 0, 0, 0, 0]);
        let video = boxed(b"trak", &boxed(b"mdia", &video_hdlr));
        [video, boxed(b"trak", &mdia)].concat()
    }

    #[test]
    fn the_audio_track_is_read_from_the_moov() {
        let track = audio_track(&moov()).unwrap();
        assert_eq!(track.timescale, 44_100);
        assert_eq!(track.config, AacConfig { object_type: 2, frequency_index: 4, channels: 2 });
        let places: Vec<(u64, u32, u64)> = track.samples.iter().map(|s| (s.offset, s.size, s.start)).collect();
        assert_eq!(places, [(100, 10, 0), (110, 11, 1024), (121, 12, 2048), (5000, 13, 3072), (5013, 14, 4096)]);
        assert_eq!(track.duration, 5120);
        assert_eq!(audio_track(&boxed(b"trak", &[])), Err(AudioError::NoAudioTrack));
        assert!(matches!(audio_track(&moov()[..60]), Err(AudioError::Truncated(_))));
    }

    fn gap(join_gap: u64) -> Ranges {
        Ranges { join_gap, max_range: 1 << 20 }
    }

    #[test]
    fn chunks_are_cut_at_frames_and_their_ranges_joined() {
        let track = audio_track(&moov()).unwrap();
        // 1024 samples at 44.1 kHz is 23.2 ms: chunks of 50 ms hold three frames, then two.
        let plans = plan_chunks(&track, 50, gap(0));
        assert_eq!(plans.len(), 2);
        assert_eq!((plans[0].start_ms, plans[0].end_ms, plans[0].samples.len()), (0, 69, 3));
        assert_eq!(plans[0].ranges, [(100, 132)]);
        assert_eq!((plans[1].start_ms, plans[1].end_ms), (69, 116));
        assert_eq!(plans[1].ranges, [(5000, 5026)]);
        let whole = plan_chunks(&track, 600_000, gap(8192));
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].ranges, [(100, 5026)], "a gap under 8 KB is read through");
        assert_eq!(plan_chunks(&track, 600_000, gap(0))[0].ranges, [(100, 132), (5000, 5026)]);
        // Chunks of 40 ms: two frames, two frames, and one left over (23 ms, over a quarter: kept).
        assert_eq!(plan_chunks(&track, 40, gap(0)).len(), 3);
        // No range is longer than asked: 33 bytes of frames in ranges of at most 25.
        let short = plan_chunks(&track, 50, Ranges { join_gap: 0, max_range: 25 });
        assert_eq!(short[0].ranges, [(100, 120), (121, 132)]);
    }

    #[test]
    fn frames_are_copied_behind_adts_headers() {
        let track = audio_track(&moov()).unwrap();
        let plan = &plan_chunks(&track, 50, gap(0))[1];
        let bytes: Vec<u8> = (0..27u8).collect();
        let adts = adts_chunk(plan, &[(5000, bytes.clone())]).unwrap();
        assert_eq!(adts.len(), 13 + 14 + 14);
        // Sync word, MPEG-4, no CRC; LC, 44.1 kHz, 2 channels; frame length 20.
        assert_eq!(&adts[..7], &[0xff, 0xf1, 0x50, 0x80, 0x02, 0x9f, 0xfc]);
        assert_eq!(&adts[7..20], &bytes[..13]);
        assert_eq!(&adts[20..23], &[0xff, 0xf1, 0x50]);
        assert!(matches!(adts_chunk(plan, &[(5000, bytes[..20].to_vec())]), Err(AudioError::Truncated(_))));
    }

    #[test]
    fn segments_of_each_chunk_are_joined_at_its_start() {
        let answer = serde_json::json!({"result": {"text": "x", "segments": [
            {"start": 0.5, "end": 2.25, "text": " Good evening. "},
            {"start": 3.0, "end": 4.0, "text": "   "}
        ]}});
        let first = whisper_segments(&answer).unwrap();
        let second =
            whisper_segments(&serde_json::json!({"segments": [{"start": 1.0, "end": 2.0, "text": "Item four."}]}))
                .unwrap();
        let cues = join(&[(600_000, second), (0, first)]);
        let got: Vec<(u64, u64, &str)> = cues.iter().map(|c| (c.start_ms, c.end_ms, c.text.as_str())).collect();
        assert_eq!(got, [(500, 2250, "Good evening."), (601_000, 602_000, "Item four.")]);
        assert!(whisper_segments(&serde_json::json!({"text": "no segments"})).is_err());
    }
}
