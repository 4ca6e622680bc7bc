#!/usr/bin/env bash
# Builds the test webcast for the speech-to-text path: a known script spoken
# by espeak-ng, one sentence every ten seconds, encoded as a webcast is (H.264
# video and AAC audio in MP4, the index at the end as ffmpeg writes it), with
# the spoken reference beside it. Usage: make_webcast_media.sh OUT_DIR
# Writes OUT_DIR/{script.txt, speech.wav, webcast.mp4}; skips work already done.
set -euo pipefail
out="$1"
mkdir -p "$out"
cd "$out"
script=(
  "Good evening and welcome to this meeting of the cabinet."
  "Item four is the draft revenue budget for next year."
  "The cabinet member said the plan protects every library."
  "Councillor Patel asked how the parks would be funded."
  "Officers explained that the grant runs for three years."
  "All those in favour please raise your hands. That is carried."
)
printf '%s\n' "${script[@]}" > script.next
if [[ -f webcast.mp4 && -f speech.wav ]] && cmp -s script.next script.txt; then
  rm script.next
  exit 0
fi
mv script.next script.txt
rm -f part_*.wav parts.txt
for i in "${!script[@]}"; do
  espeak-ng -v en-gb -s 150 -w "sentence_$i.wav" "${script[$i]}"
  # Each sentence starts on a ten-second mark: the rest of its ten seconds is silence.
  ffmpeg -loglevel error -y -i "sentence_$i.wav" -af "apad=whole_dur=10" -ar 16000 -ac 1 "part_$i.wav"
  echo "file 'part_$i.wav'" >> parts.txt
done
ffmpeg -loglevel error -y -f concat -safe 0 -i parts.txt -c:a pcm_s16le speech.wav
seconds=$((${#script[@]} * 10))
ffmpeg -loglevel error -y -f lavfi -i "color=c=navy:s=160x90:r=5:d=$seconds" -i speech.wav \
  -c:v libx264 -preset ultrafast -g 10 -c:a aac -b:a 48k -ar 44100 -ac 1 -shortest webcast.mp4
rm -f sentence_*.wav part_*.wav parts.txt
