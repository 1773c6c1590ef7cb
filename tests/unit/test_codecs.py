"""Payload codecs: request bodies and response decoding, fed plain bytes and BytesIO streams."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image

from taglines import ConfigError, GenerationError
from taglines.models import (
    AmazonImageCodec,
    ConverseCodec,
    FalconCodec,
    StabilityImageCodec,
    StableDiffusionCodec,
)


def jpeg_b64(color=(200, 30, 30), size=(64, 48), fmt="JPEG") -> str:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format=fmt)
    return base64.b64encode(buf.getvalue()).decode()


def test_falcon_request_has_tgi_shape_and_tagline_defaults():
    body = json.loads(FalconCodec().encode("Write a tagline.", temperature=0.5, seed=7))
    assert body["inputs"] == "Write a tagline."
    params = body["parameters"]
    assert params["temperature"] == 0.5 and params["seed"] == 7
    assert params["return_full_text"] is False and params["do_sample"] is True
    assert 0 < params["top_p"] < 1 and params["max_new_tokens"] <= 64
    assert isinstance(params["stop"], list)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"top_p": 1.0}, "top_p"),
        ({"temperature": 0}, "temperature"),
        ({"max_new_tokens": "40"}, "max_new_tokens must be int"),
        ({"do_sample": 1}, "do_sample must be bool"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "at most 4"),
        ({"best_of": 2}, "unknown text parameter"),
    ],
)
def test_falcon_rejects_bad_parameters(params, needle):
    with pytest.raises(ConfigError, match=needle):
        FalconCodec().encode("hi", **params)


def test_falcon_rejects_empty_and_huge_prompts():
    with pytest.raises(ConfigError, match="empty"):
        FalconCodec().encode("  ")
    with pytest.raises(ConfigError, match="limit"):
        FalconCodec().encode("x" * 20_000)


@pytest.mark.parametrize(
    "payload",
    [
        [{"generated_text": " Every fare has a price."}],
        {"generated_text": " Every fare has a price."},
        [[{"generated_text": " Every fare has a price."}]],
    ],
)
def test_falcon_decodes_tgi_responses(payload):
    stream = io.BytesIO(json.dumps(payload).encode())
    assert FalconCodec().decode(stream.read()) == " Every fare has a price."


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"<html>502 Bad Gateway</html>", "not JSON.*502 Bad Gateway"),
        (b'[{"text": "x"}]', "without generated_text"),
        (b"[]", "without generated_text"),
    ],
)
def test_falcon_malformed_responses(body, needle):
    with pytest.raises(GenerationError, match=needle):
        FalconCodec().decode(body, what="SageMaker endpoint 'falcon'")


def test_stable_diffusion_request():
    codec = StableDiffusionCodec()
    assert (codec.content_type, codec.accept) == ("application/json", "application/json;jpeg")
    body = json.loads(
        codec.encode(
            "a lighthouse", negative_prompt="text", width=512, height=768, seed=3, guidance_scale=7
        )
    )
    assert body == {
        "prompt": "a lighthouse",
        "negative_prompt": "text",
        "width": 512,
        "height": 768,
        "num_inference_steps": 30,
        "guidance_scale": 7,
        "seed": 3,
    }
    assert "seed" not in json.loads(codec.encode("x", seed=None))
    with pytest.raises(ConfigError, match="multiple of 8"):
        codec.encode("x", width=500)


def test_stable_diffusion_decodes_base64_jpeg_and_pixel_arrays():
    codec = StableDiffusionCodec()
    image = codec.decode(json.dumps({"generated_images": [jpeg_b64()], "prompt": "x"}).encode())
    assert image.size == (64, 48) and image.mode == "RGB"
    r, g, _b = image.getpixel((10, 10))
    assert r > 150 and g < 80
    pixels = [[[0, 0, 255]] * 3] * 2  # 2 rows × 3 columns
    assert codec.decode(json.dumps({"generated_images": [pixels]}).encode()).size == (3, 2)
    old = codec.decode(json.dumps({"generated_image": pixels, "prompt": "x"}).encode())
    assert old.getpixel((0, 0)) == (0, 0, 255)


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        ({"generated_images": []}, "no images"),
        ({"generated_images": ["not base64!!"]}, "not valid base64"),
        ({"generated_images": [base64.b64encode(b"hello").decode()]}, "not an image"),
        ({"generated_image": [[1, 2, 3]]}, "shape"),
        ({"generated_image": [[[0, 0, 300]]]}, "outside 0–255"),
        ({"images": []}, "without generated_images"),
        ([1, 2], "not an object"),
    ],
)
def test_stable_diffusion_malformed_responses(payload, needle):
    with pytest.raises(GenerationError, match=needle):
        StableDiffusionCodec().decode(json.dumps(payload).encode())


def test_oversized_images_are_refused(monkeypatch):
    import taglines.models.codecs as codecs

    monkeypatch.setattr(codecs, "MAX_PIXELS", 100)
    with pytest.raises(GenerationError, match="larger than allowed"):
        StableDiffusionCodec().decode(
            json.dumps({"generated_images": [jpeg_b64(size=(20, 20))]}).encode()
        )


def test_converse_request_and_response():
    codec = ConverseCodec()
    request = codec.request("amazon.nova-lite-v1:0", "Write.", temperature=0.2, stop=["\n"])
    assert request["messages"] == [{"role": "user", "content": [{"text": "Write."}]}]
    assert request["inferenceConfig"] == {
        "maxTokens": 60,
        "temperature": 0.2,
        "topP": 0.9,
        "stopSequences": ["\n"],
    }
    assert request["system"][0]["text"]
    response = {
        "output": {
            "message": {"role": "assistant", "content": [{"text": "Every "}, {"text": "fare."}]}
        },
        "stopReason": "end_turn",
    }
    assert codec.parse(response, "m") == "Every fare."
    with pytest.raises(GenerationError, match="content_filtered"):
        codec.parse({"output": {"message": {"content": []}}, "stopReason": "content_filtered"}, "m")
    with pytest.raises(GenerationError, match="no text"):
        codec.parse(
            {"output": {"message": {"content": [{"image": {}}]}}, "stopReason": "end_turn"}, "m"
        )


def test_amazon_image_codec():
    codec = AmazonImageCodec()
    body = json.loads(
        codec.encode("a lighthouse", negative_prompt="text", seed=5, width=512, height=768)
    )
    assert body["taskType"] == "TEXT_IMAGE"
    assert body["textToImageParams"] == {"text": "a lighthouse", "negativeText": "text"}
    assert body["imageGenerationConfig"] == {
        "numberOfImages": 1,
        "width": 512,
        "height": 768,
        "cfgScale": 8.0,
        "quality": "standard",
        "seed": 5,
    }
    assert codec.decode(json.dumps({"images": [jpeg_b64(fmt="PNG")]}).encode()).size == (64, 48)
    with pytest.raises(GenerationError, match="reported an error: blocked"):
        codec.decode(b'{"images": [], "error": "blocked"}')


def test_stability_image_codec():
    codec = StabilityImageCodec()
    body = json.loads(
        codec.encode("a lighthouse", negative_prompt="text", width=512, height=768, seed=1)
    )
    assert body == {
        "prompt": "a lighthouse",
        "aspect_ratio": "2:3",
        "output_format": "png",
        "negative_prompt": "text",
        "seed": 1,
    }
    ok = {"images": [jpeg_b64(fmt="PNG")], "seeds": [1], "finish_reasons": [None]}
    assert codec.decode(json.dumps(ok).encode()).mode == "RGB"
    with pytest.raises(GenerationError, match="Filter reason: prompt"):
        codec.decode(
            json.dumps({"images": [], "finish_reasons": ["Filter reason: prompt"]}).encode()
        )
